-- Staged survey rows that fail the rule check of SPEC 3.5: the student must be a
-- placement-eligible leaver of the year before. Only these rows are written;
-- int_placements_loaded is the rest.
with cohort as (
    select school_year + 1 as survey_year, student_id
    from {{ ref('int_leavers_classified') }}
    where is_placement_eligible
),

checked as (
    select
        placements.school_year,
        placements.student_id,
        placements.source_file,
        placements.row_number,
        {{ first_failure([
            ("cohort.student_id is null", "NOT_IN_EXIT_COHORT",
             "'student_id is not a placement-eligible concentrator who exited the year before'"),
        ]) }}
    from {{ ref('stg_staged__placements') }} as placements
    left join cohort
        on placements.school_year = cohort.survey_year
        and placements.student_id = cohort.student_id
)

select * from checked
where reason_code is not null
