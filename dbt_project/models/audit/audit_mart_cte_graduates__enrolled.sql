-- What the expectations of suite mart_cte_graduates (enrolled) check: CTE graduates of the year (docs/rules.md#outcomes).
select count(*) as not_enrolled
from {{ ref('cte_graduates') }} t
where t.student_id not in (select student_id
from {{ ref('students') }})
