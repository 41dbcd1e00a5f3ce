select *
from {{ ref('int_concentrators_identified') }}
where school_year = {{ run_var('school_year') }}
