-- What the expectations of suite extract_roster (codes) check: Loaded roster rows of the school year (docs/inputs.md, docs/rules.md#rejected-rows).
select r.term, r.program_code in (select program_code
from {{ ref('stg_reference__programs') }}) as program_listed, r.course_type, count(*) as rows
from {{ ref('int_roster_loaded') }} as r
where r.school_year = {{ run_var('school_year') }}
group by all
