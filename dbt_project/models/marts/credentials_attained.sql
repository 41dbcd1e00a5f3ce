-- Valid passed credentials first passed in school year Y, each (student, credential) once.
select *
from {{ ref('int_credentials_first_passed') }}
where school_year = {{ run_var('school_year') }}
