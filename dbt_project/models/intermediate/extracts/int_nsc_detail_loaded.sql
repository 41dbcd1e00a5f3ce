-- Clearinghouse detail rows (SPEC 11.1) that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select nsc_detail.*
from {{ without_rejected('nsc_detail') }}
