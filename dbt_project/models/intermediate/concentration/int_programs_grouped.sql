-- Each approved program with its concentration group under the selected profile: the program
-- itself, or its career cluster (docs/profiles.md).
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

with profile as {{ rule_profile() }}

select
    program.*,
    case when profile.concentration_group = 'career_cluster' then cast(program.career_cluster as {{ dbt.type_string() }})
         else program.program_code end as group_key
from {{ ref('stg_reference__programs') }} as program
cross join profile
