-- What the expectations of suite mart_placement_outcomes (status) check: how much of the 3S1 cohort
-- the survey and the records know anything about (docs/placement-records.md).
select
    count(*) as cohort,
    count(case when not status_known then 1 end) as status_unknown,
    case when count(*) = 0 then 0
         else 1.0 * count(case when not status_known then 1 end) / count(*) end as status_unknown_share,
    {{ thousands('count(case when not status_known then 1 end)') }} || ' of ' || {{ thousands('count(*)') }}
        || ' students of the 3S1 cohort have no known status (neither surveyed nor found in records)' as explain
from {{ ref('placement_outcomes') }}
