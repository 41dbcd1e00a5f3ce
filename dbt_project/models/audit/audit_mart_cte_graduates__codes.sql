-- What the expectations of suite mart_cte_graduates (codes) check: CTE graduates of the year (SPEC 4.3).
select exit_code, count(*) as rows
from {{ ref('cte_graduates') }}
group by all
