-- What the expectations of suite mart_perkins_indicators (inputs) check: Perkins V indicators by group (docs/snapshot.md).
select (select count(*)
from {{ ref('int_graduation_cohort_loaded') }}
where school_year = {{ run_var('school_year') }}) as graduation_cohort_rows, (select count(*)
from {{ ref('int_assessments_loaded') }}
where school_year = {{ run_var('school_year') }}) as assessment_rows
