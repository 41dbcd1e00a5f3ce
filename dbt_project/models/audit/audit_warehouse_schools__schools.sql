-- What the expectations of suite warehouse_schools (schools) check: Schools that stopped reporting (docs/rules.md#rejected-rows).
select prior.school_id, count(current.school_id) as roster_rows_in_year
from (select distinct school_id
from {{ ref('int_roster_loaded') }}
where school_year = {{ run_var('school_year') - 1 }}) as prior
left join (select school_id
from {{ ref('int_roster_loaded') }}
where school_year = {{ run_var('school_year') }}) as current on prior.school_id = current.school_id
group by prior.school_id
