-- What the expectations of suite mart_credential_review (codes) check: Credential warnings of the year (docs/rules.md#rejected-rows).
select reason_code, count(*) as rows
from {{ ref('credential_review') }}
group by all
