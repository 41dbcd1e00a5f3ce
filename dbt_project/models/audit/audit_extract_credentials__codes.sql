-- What the expectations of suite extract_credentials (codes) check: Loaded credential rows of the school year (docs/inputs.md, docs/rules.md#rejected-rows).
select result, evidence, exam_date <= {{ summer_end(run_var('school_year')) }} as date_not_after_year, count(*) as rows
from {{ ref('int_credentials_loaded') }}
where school_year = {{ run_var('school_year') }}
group by all
