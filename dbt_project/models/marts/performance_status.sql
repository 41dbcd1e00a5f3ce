-- Each level and recipient against its performance level for every indicator computed in Y
-- that has a level for Y (docs/indicators.md#performance-levels). Uses the real, unsuppressed `all` cell; every comparison
-- is exact (integers against a decimal level, never the rounded rate).
{% set year = run_var('school_year') %}

with levels as (
    select * from {{ ref('stg_reference__performance_levels') }}
    where school_year_label = '{{ year - 1 }}-{{ "%02d" % (year % 100) }}'
),

status as (
    select
        cells.school_year,
        cells.level,
        cells.recipient_id,
        cells.indicator,
        cells.numerator,
        cells.denominator,
        coalesce(local_levels.performance_level, state_levels.performance_level) as performance_level,
        case when local_levels.performance_level is not null then 'local' else 'state' end as level_source
    from {{ ref('int_indicator_cells_counted') }} as cells
    left join levels as state_levels
        on cells.indicator = state_levels.indicator
        and state_levels.recipient_id is null
    left join levels as local_levels
        on cells.indicator = local_levels.indicator
        and cells.level = 'recipient'
        and cells.recipient_id = local_levels.recipient_id
    where cells.group_type = 'all'
      and cells.denominator > 0
),

judged as (
    select
        *,
        numerator * 100 >= performance_level * denominator as meets_level,
        numerator * 1000 < 9 * performance_level * denominator as below_90_percent
    from status
    where performance_level is not null
),

earlier_years_below as (
    -- Consecutive earlier years below 90 percent, counting back from Y-1: with the years in
    -- descending order, a year belongs to the run while Y - year equals its rank.
    select level, recipient_id, indicator,
           count(case when {{ year }} - school_year = year_rank then 1 end) as years
    from (
        select *, row_number() over (partition by level, recipient_id, indicator order by school_year desc) as year_rank
        from {{ ref('stg_certified__performance_status') }}
        where below_90_percent
    ) as ranked
    group by level, recipient_id, indicator
),

names as (
    select recipient_id, min(recipient_name) as recipient_name
    from {{ ref('stg_reference__recipients') }}
    group by recipient_id
)

select
    judged.school_year,
    judged.level,
    judged.recipient_id,
    case when judged.level = 'recipient' then coalesce(names.recipient_name, judged.recipient_id) end
        as recipient_name,
    judged.indicator,
    judged.numerator,
    judged.denominator,
    cast(round(100.0 * judged.numerator / judged.denominator, 2) as double) as rate,
    judged.performance_level,
    judged.level_source,
    judged.meets_level,
    judged.below_90_percent,
    case when judged.below_90_percent then 1 + coalesce(earlier.years, 0) else 0 end
        as consecutive_years_below_90,
    judged.below_90_percent as improvement_plan_required,
    judged.below_90_percent and 1 + coalesce(earlier.years, 0) >= 3 as funds_at_risk,
    judged.denominator < {{ run_var('suppression_threshold') }} as small_denominator
from judged
left join earlier_years_below as earlier
    on judged.level = earlier.level
    and judged.recipient_id is not distinct from earlier.recipient_id
    and judged.indicator = earlier.indicator
left join names on judged.recipient_id = names.recipient_id
