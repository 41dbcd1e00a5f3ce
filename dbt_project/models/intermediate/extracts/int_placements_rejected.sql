-- Staged survey rows that fail a rule check of docs/inputs.md: the survey falls inside its school
-- year, and the student is a placement-eligible leaver of the year before. Only these rows are written;
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
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the extract names no district (docs/rules.md#rejected-rows attributes it)
        placements.source_file,
        placements.row_number,
        {{ first_failure([
            ("placements.survey_date not between " ~ year_start('placements.school_year') ~ " and " ~ year_end('placements.school_year'),
             "BAD_VALUE",
             "'survey_date ' || cast(placements.survey_date as " ~ dbt.type_string() ~ ") || ' is outside the school year of the survey'"),
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
