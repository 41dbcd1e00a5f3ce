-- Whether each recipient was below 90 percent of its level, as certified in the latest snapshot
-- of each earlier school year (written by the ingest from DIR/snapshots, docs/indicators.md#performance-levels).
select
    cast(school_year as integer) as school_year,
    level,
    recipient_id,
    indicator,
    below_90_percent
from {{ source('certified', 'performance_status') }}
where school_year < {{ run_var('school_year') }}
