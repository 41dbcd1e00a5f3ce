-- Graduation-cohort rows of Y that passed every check. A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select graduation_cohort.*
from {{ without_rejected('graduation_cohort') }}
