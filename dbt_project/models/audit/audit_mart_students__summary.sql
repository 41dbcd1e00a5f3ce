-- What the expectations of suite mart_students (summary) check: Enrolled students of the year (SPEC 6).
select count(*) - count(distinct student_id) as repeated_ids, min(grade_level) as lowest_grade, max(grade_level) as highest_grade
from {{ ref('students') }}
