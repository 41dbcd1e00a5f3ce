-- Loaded students in grades 9-12: "enrolled in Y" (SPEC 4.1), for every year up to Y.
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select
    school_year,
    student_id,
    district_id,
    school_id,
    grade_level,
    gender,
    race_ethnicity,
    {{ special_populations() | join(',\n    ') }}
from {{ ref('int_students_loaded') }}
where grade_level between 9 and 12
