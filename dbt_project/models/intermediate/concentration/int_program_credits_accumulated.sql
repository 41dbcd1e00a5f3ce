-- Credits and courses per student, program and year Y' (every enrolled year up to Y), in Y'
-- and cumulated over every year up to Y' in which the student was enrolled in grades 9-12
-- (docs/rules.md#building-blocks). A course counts once: passed again in a later year it is still one course, so
-- cumulative courses count each course from the first year it was passed.
-- The concentration_* measures leave out the profile's excluded course types.
with first_passes as (
    select
        student_id,
        program_code,
        course_code,
        min(school_year) as first_year,
        min(case when not is_excluded then school_year end) as first_concentration_year
    from {{ ref('int_courses_passed') }}
    group by student_id, program_code, course_code
),

yearly as (
    select
        school_year,
        student_id,
        program_code,
        sum(credits_earned) as credits_earned,
        count(*) as courses_completed,
        coalesce(sum(case when not is_excluded then credits_earned end), 0) as concentration_credits
    from {{ ref('int_courses_passed') }}
    group by school_year, student_id, program_code
),

credits as (
    select
        enrolled.school_year,
        enrolled.student_id,
        yearly.program_code,
        coalesce(sum(case when yearly.school_year = enrolled.school_year then yearly.credits_earned end), 0)
            as credits_earned_year,
        sum(yearly.credits_earned) as credits_earned_cumulative,
        cast(coalesce(sum(case when yearly.school_year = enrolled.school_year then yearly.courses_completed end), 0)
            as bigint) as courses_completed_year,
        sum(yearly.concentration_credits) as concentration_credits_cumulative,
        max(yearly.school_year) as last_passed_year
    from {{ ref('int_students_enrolled') }} as enrolled
    inner join yearly
        on yearly.student_id = enrolled.student_id
        and yearly.school_year <= enrolled.school_year
    group by enrolled.school_year, enrolled.student_id, yearly.program_code
),

courses as (
    select
        enrolled.school_year,
        enrolled.student_id,
        first_passes.program_code,
        count(*) as courses_completed_cumulative,
        count(case when first_passes.first_concentration_year <= enrolled.school_year then 1 end)
            as concentration_courses_cumulative
    from {{ ref('int_students_enrolled') }} as enrolled
    inner join first_passes
        on first_passes.student_id = enrolled.student_id
        and first_passes.first_year <= enrolled.school_year
    group by enrolled.school_year, enrolled.student_id, first_passes.program_code
)

select
    credits.school_year,
    credits.student_id,
    credits.program_code,
    credits.credits_earned_year,
    credits.credits_earned_cumulative,
    credits.courses_completed_year,
    courses.courses_completed_cumulative,
    credits.concentration_credits_cumulative,
    courses.concentration_courses_cumulative,
    credits.last_passed_year
from credits
inner join courses
    on credits.school_year = courses.school_year
    and credits.student_id = courses.student_id
    and credits.program_code = courses.program_code
