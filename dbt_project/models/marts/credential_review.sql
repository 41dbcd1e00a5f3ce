select *
from {{ ref('int_credential_warnings_listed') }}
where school_year = {{ var('school_year') }}
