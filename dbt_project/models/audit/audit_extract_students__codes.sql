-- What the expectations of suite extract_students (codes) check: Loaded student rows of the school year (docs/inputs.md, docs/rules.md#rejected-rows).
select gender, race_ethnicity, grade_level, count(*) as rows
from {{ ref('int_students_loaded') }}
where school_year = {{ run_var('school_year') }}
group by all
