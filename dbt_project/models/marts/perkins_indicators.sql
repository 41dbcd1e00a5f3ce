-- Perkins V indicators of year Y at state and recipient level by group, as published: a cell
-- whose denominator is below the suppression threshold keeps its denominator but not its
-- numerator or rate, plus complementary suppression (docs/snapshot.md). Rates are percentages.
with cells as (
    select
        *,
        denominator < {{ run_var('suppression_threshold') }} as is_small
    from {{ ref('int_indicator_cells_counted') }}
),

primary_suppression as (
    select
        *,
        count(case when is_small then 1 end)
            over (partition by level, recipient_id, indicator, group_type) as small_cells,
        count(*) over (partition by level, recipient_id, indicator, group_type) as cells_in_group,
        row_number() over (
            partition by level, recipient_id, indicator, group_type, is_small
            order by denominator, group_value
        ) as rank_in_kind
    from cells
),

marked as (
    -- With one small cell in a group, the `all` row minus the others would give it away:
    -- suppress the next smallest cell of that group too.
    select
        *,
        is_small
        or (not is_small and small_cells = 1 and cells_in_group > 1 and rank_in_kind = 1
            and group_type <> 'all') as suppressed
    from primary_suppression
)

select
    school_year,
    level,
    recipient_id,
    indicator,
    group_type,
    group_value,
    case when suppressed then null else numerator end as numerator,
    denominator,
    case when suppressed or denominator = 0 then null
         else cast(round(100.0 * numerator / denominator, 2) as double) end as rate,
    suppressed,
    is_small as primary_suppressed,
    -- The real count, for state staff and the federal submission (CAR); never in public exports.
    numerator as numerator_unsuppressed
from marked
