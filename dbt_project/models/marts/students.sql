-- Enrolled students of school year Y (loaded, grades 9-12), with their eligible recipient and
-- derived non-traditional-field flag. No names, birth dates or emails.
select *
from {{ ref('int_students_enrolled') }}
where school_year = {{ run_var('school_year') }}
