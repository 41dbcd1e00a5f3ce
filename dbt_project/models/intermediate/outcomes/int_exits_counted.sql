-- The counting exit of each student and year: the loaded exit with the latest exit_date
-- (docs/inputs.md); on a tie, the row delivered last.
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select
    school_year,
    student_id,
    exit_code,
    exit_date,
    is_graduate,
    is_placement_eligible
from {{ ref('int_exits_loaded') }}
qualify row_number() over (
    partition by school_year, student_id
    order by exit_date desc, source_file desc, row_number desc
) = 1
