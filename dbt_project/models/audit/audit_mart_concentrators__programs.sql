-- What the expectations of suite mart_concentrators (programs) check: Concentrators of the year (docs/profiles.md).
select primary_program_code in (select program_code
from {{ ref('stg_reference__programs') }}) as program_listed, count(*) as rows
from {{ ref('concentrators') }}
group by all
