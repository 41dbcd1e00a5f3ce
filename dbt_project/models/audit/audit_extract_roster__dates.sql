-- What the expectations of suite extract_roster (dates) check: Loaded roster rows of the school year (docs/inputs.md, docs/rules.md#rejected-rows).
select coalesce(begin_date between {{ year_start(run_var('school_year')) }} and {{ year_end(run_var('school_year')) }}, true) as begin_in_year, coalesce(end_date between {{ year_start(run_var('school_year')) }} and {{ year_end(run_var('school_year')) }}, true) as end_in_year, count(*) as rows
from {{ ref('int_roster_loaded') }}
where school_year = {{ run_var('school_year') }}
group by all
