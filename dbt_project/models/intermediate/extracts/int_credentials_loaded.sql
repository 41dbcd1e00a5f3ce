-- Credential rows that passed every error check, of every year up to Y (warnings do not stop a
-- row: int_credential_warnings_listed). A view: the staged rows less the rejected ones.
{{ config(materialized='view') }}

select credentials.*
from {{ without_rejected('credentials') }}
