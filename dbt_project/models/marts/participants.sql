select *
from {{ ref('int_participants_identified') }}
where school_year = {{ run_var('school_year') }}
