-- What the expectations of suite extract_students (summary) check: Loaded student rows of the school year (docs/inputs.md, docs/rules.md#rejected-rows).
select count(*) as loaded_rows, count(*) - count(distinct student_id) as repeated_ids
from {{ ref('int_students_loaded') }}
where school_year = {{ run_var('school_year') }}
