select *
from {{ ref('int_concentrators_identified') }}
where school_year = {{ var('school_year') }}
