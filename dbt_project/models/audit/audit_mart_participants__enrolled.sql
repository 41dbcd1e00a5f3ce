-- What the expectations of suite mart_participants (enrolled) check: Participants of the year (docs/profiles.md).
select count(*) as not_enrolled
from {{ ref('participants') }} t
where t.student_id not in (select student_id
from {{ ref('students') }})
