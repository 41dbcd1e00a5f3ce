-- Service-program rows (SPEC 11.4) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select service_programs.*
from {{ without_rejected('service_programs') }}
