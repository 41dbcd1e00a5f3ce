-- Students of the Y four-year or extended cohort who were ever a concentrator by Y (docs/rules.md#outcomes,
-- 6): the 1S1 and 1S2 denominators, with their outcome.
select
    cohort.school_year,
    cohort.student_id,
    ever.recipient_id,
    ever.primary_program_code,
    cohort.in_four_year_cohort,
    cohort.graduated_four_year,
    cohort.in_extended_cohort,
    cohort.graduated_extended
from {{ ref('int_graduation_cohort_loaded') }} as cohort
inner join {{ ref('int_concentrators_ever') }} as ever
    on cohort.student_id = ever.student_id
where cohort.school_year = {{ run_var('school_year') }}
  and (cohort.in_four_year_cohort or cohort.in_extended_cohort)
