-- Every indicator cell of Y, unsuppressed: at the state level and for each eligible recipient,
-- by every group type (docs/snapshot.md). A recipient's cell counts all its students together, never
-- an average of its districts'. performance_status reads these real figures; the published
-- perkins_indicators suppresses small cells.
{% set flags = flag_group_types() %}

with combinations as (
    -- Facts with the same indicator, recipient and group values counted once before they are
    -- split by group type, so the split turns combinations, not every fact, into one row per group.
    select
        indicator,
        recipient_id,
        gender,
        race_ethnicity,
        {% for flag in flags %}case when {{ flag }} then 'Y' else 'N' end as {{ flag }},{% endfor %}
        program_code,
        cast(career_cluster as {{ dbt.type_string() }}) as career_cluster,
        placement_type,
        placement_source,
        count(case when in_numerator then 1 end) as numerator,
        count(*) as denominator
    from {{ ref('int_indicator_facts') }}
    group by all
),

grouped as (
    -- One row per combination and group type (a group a fact is not in, such as the program of a
    -- non-concentrator, is left out), written as a union so every engine runs it.
    {% for group_type in ['all', 'gender', 'race_ethnicity'] + flags + ['program_code', 'career_cluster', 'placement_type', 'placement_source'] %}
    select
        indicator, recipient_id, '{{ group_type }}' as group_type,
        {{ "'all'" if group_type == 'all' else group_type }} as group_value, numerator, denominator
    from combinations
    {% if group_type != 'all' %}where {{ group_type }} is not null{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counted as (
    select
        indicator,
        case when grouping(recipient_id) = 1 then 'state' else 'recipient' end as level,
        recipient_id,
        group_type,
        group_value,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from grouped
    group by grouping sets (
        (indicator, group_type, group_value),
        (indicator, recipient_id, group_type, group_value)
    )
),

listed_zeros as (
    -- A group type whose values seeds/group_values.csv lists has a cell for each of them beside
    -- every `all` cell, zero counts included: "none placed in the military" is a result.
    select overall.indicator, overall.level, overall.recipient_id, listed.group_type, listed.group_value,
           0 as numerator, 0 as denominator
    from counted as overall
    inner join {{ ref('indicators') }} as indicators on overall.indicator = indicators.indicator
    inner join {{ ref('group_values') }} as listed
        on '|' || coalesce(indicators.whole_denominator_group_types, '') || '|'
           like ('%|' || listed.group_type || '|%')
    where overall.group_type = 'all'
),

completed as (
    select indicator, level, recipient_id, group_type, group_value,
           sum(numerator) as numerator, sum(denominator) as denominator
    from (
        select indicator, level, recipient_id, group_type, group_value, numerator, denominator from counted
        union all
        select indicator, level, recipient_id, group_type, group_value, numerator, denominator from listed_zeros
    ) as cells
    group by indicator, level, recipient_id, group_type, group_value
)

select
    {{ run_var('school_year') }} as school_year,
    counted.level,
    counted.recipient_id,
    counted.indicator,
    counted.group_type,
    counted.group_value,
    cast(counted.numerator as bigint) as numerator,
    -- Cells that split only the numerator (seeds/indicators.csv) are shares of the whole denominator.
    cast(case when '|' || coalesce(indicators.whole_denominator_group_types, '') || '|'
                   like ('%|' || counted.group_type || '|%')
              then overall.denominator else counted.denominator end as bigint) as denominator
from completed as counted
inner join {{ ref('indicators') }} as indicators on counted.indicator = indicators.indicator
inner join completed as overall
    on counted.indicator = overall.indicator
    and counted.level = overall.level
    and counted.recipient_id is not distinct from overall.recipient_id
    and overall.group_type = 'all'
