-- Credential rows that passed every error check, of every year up to Y (warnings do not stop a
-- row: int_credential_warnings_listed). A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select credentials.*
from {{ ref('stg_staged__credentials') }} as credentials
anti join {{ ref('int_credentials_rejected') }} as rejected
    on credentials.source_file = rejected.source_file
    and credentials.row_number = rejected.row_number
