-- Valid passed credentials first passed in school year Y, each (student, credential) once.
select *
from {{ ref('int_credentials_first_passed') }}
where school_year = {{ var('school_year') }}
