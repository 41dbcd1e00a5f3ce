-- What the expectations of suite mart_perkins_indicators (cells) check: Perkins V indicators by group (docs/snapshot.md).
select level, indicator, group_type, rate, suppressed, numerator is null as numerator_hidden, count(*) as rows
from {{ ref('perkins_indicators') }}
group by all
