-- Every staged survey row with the rule check it fails (SPEC 3.5): the student must be a
-- placement-eligible leaver of the year before.
with cohort as (
    select school_year + 1 as survey_year, student_id
    from {{ ref('int_leavers_classified') }}
    where is_placement_eligible
)

select
    placements.*,
    {{ first_failure([
        ("cohort.student_id is null", "NOT_IN_EXIT_COHORT",
         "'student_id is not a placement-eligible concentrator who exited the year before'"),
    ]) }}
from {{ ref('stg_staged__placements') }} as placements
left join cohort
    on placements.school_year = cohort.survey_year
    and placements.student_id = cohort.student_id
