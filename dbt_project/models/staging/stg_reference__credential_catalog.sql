select
    upper(credential_code) as credential_code,
    credential_name,
    provider,
    program_code
from {{ source('reference', 'credential_catalog') }}
