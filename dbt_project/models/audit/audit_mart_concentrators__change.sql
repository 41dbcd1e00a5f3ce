-- What the expectations of suite mart_concentrators (change) check: Concentrators of the year (docs/profiles.md).
select count(*) filter (where school_year = {{ run_var('school_year') - 1 }}) as prior_concentrators, case when count(*) filter (where school_year = {{ run_var('school_year') - 1 }}) = 0 then null else count(*) filter (where school_year = {{ run_var('school_year') }}) / count(*) filter (where school_year = {{ run_var('school_year') - 1 }}) - 1 end as change_from_prior_year
from {{ ref('int_concentrators_identified') }}
