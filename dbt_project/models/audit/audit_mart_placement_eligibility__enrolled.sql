-- What the expectations of suite mart_placement_eligibility (enrolled) check: Placement-eligible leavers of the year (docs/rules.md#outcomes).
select count(*) as not_enrolled
from {{ ref('placement_eligibility') }} t
where t.student_id not in (select student_id
from {{ ref('students') }})
