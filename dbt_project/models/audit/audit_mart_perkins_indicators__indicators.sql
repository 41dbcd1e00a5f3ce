-- What the expectations of suite mart_perkins_indicators (indicators) check: Perkins V indicators by group (docs/snapshot.md).
select distinct cells.indicator, indicators.indicator is not null as listed
from {{ ref('perkins_indicators') }} as cells
left join {{ ref('indicators') }} on cells.indicator = indicators.indicator
