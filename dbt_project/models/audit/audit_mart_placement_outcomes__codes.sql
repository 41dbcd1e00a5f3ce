-- What the expectations of suite mart_placement_outcomes (codes) check: The Y-1 exit cohort's placement (docs/rules.md#outcomes, 3S1).
select placement_type, placed, count(*) as rows
from {{ ref('placement_outcomes') }}
where placement_type is not null
group by all
