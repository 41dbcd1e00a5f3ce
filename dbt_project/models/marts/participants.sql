select *
from {{ ref('int_participants_identified') }}
where school_year = {{ var('school_year') }}
