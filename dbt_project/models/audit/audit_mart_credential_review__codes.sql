-- What the expectations of suite mart_credential_review (codes) check: Credential warnings of the year (SPEC 4.5).
select reason_code, count(*) as rows
from {{ ref('credential_review') }}
group by all
