-- Survey rows that passed the rule check, of every year up to Y.
-- A view, like int_students_loaded: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select placements.*
from {{ ref('stg_staged__placements') }} as placements
anti join {{ ref('int_placements_rejected') }} as rejected
    on placements.source_file = rejected.source_file
    and placements.row_number = rejected.row_number
