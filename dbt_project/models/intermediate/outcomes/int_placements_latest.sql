-- The survey that counts for each student and year: the loaded row with the latest survey_date.
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select *
from {{ ref('int_placements_loaded') }}
qualify row_number() over (
    partition by school_year, student_id
    order by survey_date desc, source_file desc, row_number desc
) = 1
