-- Exit rows that passed every check, of every year up to Y, with what their code means.
-- A view, like int_students_loaded: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select
    exits.*,
    codes.is_graduate,
    codes.is_placement_eligible
from {{ without_rejected('exits') }}
inner join {{ ref('exit_codes') }} as codes  -- a loaded row's code is on the list
    on exits.exit_code = codes.exit_code
