-- What the expectations of suite mart_perkins_indicators (levels) check: Perkins V indicators by group (docs/snapshot.md).
select distinct cells.indicator, levels.indicator is not null as has_state_level, cells.indicator as explain
from {{ ref('perkins_indicators') }} as cells
inner join {{ ref('indicators') }} on cells.indicator = indicators.indicator and not indicators.is_count
left join {{ ref('stg_reference__performance_levels') }} as levels on cells.indicator = levels.indicator and levels.recipient_id is null and levels.school_year_label = '{{ school_year_label(run_var('school_year')) }}'
where cells.level = 'state'
