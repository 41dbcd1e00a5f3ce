-- Concentrators with a counting exit in the same year: CTE graduates and placement-eligible
-- leavers of Y and Y-1 (docs/rules.md#outcomes).
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select
    concentrators.*,
    exits.exit_code,
    exits.exit_date,
    exits.is_graduate,
    exits.is_placement_eligible
from {{ ref('int_concentrators_identified') }} as concentrators
inner join {{ ref('int_exits_counted') }} as exits
    on concentrators.school_year = exits.school_year
    and concentrators.student_id = exits.student_id
