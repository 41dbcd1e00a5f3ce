-- Wage-record rows (SPEC 11.2) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select wage_records.*
from {{ without_rejected('wage_records') }}
