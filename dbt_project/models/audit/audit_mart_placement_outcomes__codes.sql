-- What the expectations of suite mart_placement_outcomes (codes) check: The Y-1 exit cohort's placement (SPEC 4.3, 3S1).
select coalesce(placement_type, 'not placed') as placement_type, placed, count(*) as rows
from {{ ref('placement_outcomes') }}
group by all
