-- What the expectations of suite mart_cte_graduates (codes) check: CTE graduates of the year (docs/rules.md#outcomes).
select exit_code, count(*) as rows
from {{ ref('cte_graduates') }}
group by all
