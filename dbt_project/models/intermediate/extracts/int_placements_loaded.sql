-- Survey rows that passed the rule check, of every year up to Y.
-- A view, like int_students_loaded: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select placements.*
from {{ without_rejected('placements') }}
