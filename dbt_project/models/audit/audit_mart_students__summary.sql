-- What the expectations of suite mart_students (summary) check: Enrolled students of the year (docs/snapshot.md).
select
    count(*) - count(distinct student_id) as repeated_ids,
    count(case when grade_level not between 9 and 12 then 1 end) as students_outside_grades_9_12
from {{ ref('students') }}
