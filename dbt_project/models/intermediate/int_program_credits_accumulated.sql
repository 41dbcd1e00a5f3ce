-- Credits and courses per student, program and year, for the year and cumulated over every
-- earlier year in which the student was enrolled in grades 9-12 (SPEC 4.1).
-- The concentration_* measures leave out the profile's excluded course types.
-- Kept for Y and Y-1 only: Y-1's concentrators are the placement cohort and the year-over-year
-- comparison; nothing reads earlier years' (their rows still count in the cumulative sums).
with profile as (
    select string_split(coalesce(excluded_course_types, ''), '|') as excluded_types
    from {{ rule_profile() }}
),

passed as (
    select
        roster.school_year,
        roster.student_id,
        roster.program_code,
        roster.course_code,
        roster.credits_earned,
        list_contains(profile.excluded_types, roster.course_type) as is_excluded
    from {{ ref('int_roster_loaded') }} as roster
    inner join {{ ref('int_students_enrolled') }} as enrolled
        on roster.school_year = enrolled.school_year
        and roster.student_id = enrolled.student_id
    cross join profile
    where roster.credits_earned > 0
),

courses_passed as (
    -- A course passed twice in a year counts once; one row per course makes the counts below
    -- plain counts, much cheaper than count(distinct).
    select school_year, student_id, program_code, course_code, is_excluded, sum(credits_earned) as credits_earned
    from passed
    group by all
),

yearly as (
    select
        school_year,
        student_id,
        program_code,
        sum(credits_earned) as credits_earned,
        count(*) as courses_completed,
        coalesce(sum(credits_earned) filter (where not is_excluded), 0) as concentration_credits,
        count(*) filter (where not is_excluded) as concentration_courses
    from courses_passed
    group by school_year, student_id, program_code
)

select
    enrolled.school_year,
    enrolled.student_id,
    yearly.program_code,
    coalesce(sum(yearly.credits_earned) filter (where yearly.school_year = enrolled.school_year), 0)
        as credits_earned_year,
    sum(yearly.credits_earned) as credits_earned_cumulative,
    coalesce(sum(yearly.courses_completed) filter (where yearly.school_year = enrolled.school_year), 0)
        as courses_completed_year,
    sum(yearly.courses_completed) as courses_completed_cumulative,
    sum(yearly.concentration_credits) as concentration_credits_cumulative,
    sum(yearly.concentration_courses) as concentration_courses_cumulative,
    max(yearly.school_year) as last_passed_year
from {{ ref('int_students_enrolled') }} as enrolled
inner join yearly
    on yearly.student_id = enrolled.student_id
    and yearly.school_year <= enrolled.school_year
where enrolled.school_year >= {{ var('school_year') }} - 1
group by enrolled.school_year, enrolled.student_id, yearly.program_code
