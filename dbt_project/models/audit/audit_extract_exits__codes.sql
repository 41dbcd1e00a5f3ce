-- What the expectations of suite extract_exits (codes) check: Loaded exit rows of the school year (docs/inputs.md, docs/rules.md#exits-and-leavers).
select exit_code, exit_date between {{ year_start(run_var('school_year')) }} and {{ summer_end(run_var('school_year')) }} as date_in_year, count(*) as rows
from {{ ref('int_exits_loaded') }}
where school_year = {{ run_var('school_year') }}
group by all
