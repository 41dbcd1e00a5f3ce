select *
from {{ ref('int_credential_warnings_listed') }}
where school_year = {{ run_var('school_year') }}
