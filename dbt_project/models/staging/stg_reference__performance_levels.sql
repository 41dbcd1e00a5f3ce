-- Levels as exact decimals: every comparison with a level is exact (docs/snapshot.md, docs/indicators.md#performance-levels).
select
    school_year as school_year_label,
    indicator,
    recipient_id,
    cast(level as decimal(9, 4)) as performance_level
from {{ source('reference', 'performance_levels') }}
