-- Military-service rows (SPEC 11.3) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select military_service.*
from {{ without_rejected('military_service') }}
