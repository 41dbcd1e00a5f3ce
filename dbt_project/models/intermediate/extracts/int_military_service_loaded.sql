-- Military-service rows (docs/placement-records.md) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select military_service.*
from {{ without_rejected('military_service') }}
