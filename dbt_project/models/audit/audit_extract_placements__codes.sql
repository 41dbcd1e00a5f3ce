-- What the expectations of suite extract_placements (codes) check: Loaded follow-up survey rows of the school year (docs/inputs.md).
select education_status, employment_status, service_program, survey_date between {{ year_start(run_var('school_year')) }} and {{ summer_end(run_var('school_year')) }} as date_in_year, count(*) as rows
from {{ ref('int_placements_loaded') }}
where school_year = {{ run_var('school_year') }}
group by all
