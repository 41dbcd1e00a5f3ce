-- Service-program rows (docs/placement-records.md) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select service_programs.*
from {{ without_rejected('service_programs') }}
