-- Roster rows that passed every check, of every year up to Y, with their course's type and
-- credit value. A view, like int_students_loaded: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select
    roster.*,
    courses.course_type,
    courses.credit_value
from {{ without_rejected('roster') }}
inner join {{ ref('stg_reference__courses') }} as courses  -- a loaded row's course is on its sequence
    on roster.program_code = courses.program_code
    and roster.course_code = courses.course_code
