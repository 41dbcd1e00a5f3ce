-- Clearinghouse detail rows (docs/placement-records.md) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select nsc_detail.*
from {{ without_rejected('nsc_detail') }}
