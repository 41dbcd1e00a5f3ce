-- Loaded students in grades 9-12: "enrolled in Y" (docs/rules.md#building-blocks), for every year up to Y.
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select *
from {{ ref('int_students_attributed') }}
where grade_level between 9 and 12
