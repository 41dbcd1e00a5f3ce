-- What the expectations of suite mart_concentrators (enrolled) check: Concentrators of the year (docs/profiles.md).
select count(*) as not_enrolled
from {{ ref('concentrators') }} t
where t.student_id not in (select student_id
from {{ ref('students') }})
