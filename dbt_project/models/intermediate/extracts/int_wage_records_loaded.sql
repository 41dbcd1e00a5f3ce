-- Wage-record rows (docs/placement-records.md) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select wage_records.*
from {{ without_rejected('wage_records') }}
