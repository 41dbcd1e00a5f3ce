-- Assessment results of every year up to Y that passed every check.
-- A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select assessments.*
from {{ without_rejected('assessments') }}
