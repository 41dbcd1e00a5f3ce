-- What the expectations of suite mart_credentials_attained (codes) check: Valid passed credentials of the year (docs/rules.md#rejected-rows).
select credential_code in (select credential_code
from {{ ref('stg_reference__credential_catalog') }}) as on_catalog, count(*) as rows
from {{ ref('credentials_attained') }}
group by all
