-- Each student's concentration groups per enrolled year (program or career cluster, by
-- profile), with whether the group makes the student a concentrator (docs/profiles.md). The measures
-- are taken over the passed rows of all the group's programs: credits add up, and a course
-- code counts once in the group even when passed under two of its programs or in two years.
with profile as {{ rule_profile() }},

concentration_rows as (
    select * from {{ ref('int_courses_passed') }} where not is_excluded
),

group_first_passes as (
    select student_id, group_key, course_code, min(school_year) as first_year
    from concentration_rows
    group by student_id, group_key, course_code
),

group_yearly_credits as (
    select school_year, student_id, group_key, sum(credits_earned) as credits_earned
    from concentration_rows
    group by school_year, student_id, group_key
),

credits as (
    select enrolled.school_year, enrolled.student_id, yearly.group_key,
           sum(yearly.credits_earned) as concentration_credits_cumulative
    from {{ ref('int_students_enrolled') }} as enrolled
    inner join group_yearly_credits as yearly
        on yearly.student_id = enrolled.student_id
        and yearly.school_year <= enrolled.school_year
    group by enrolled.school_year, enrolled.student_id, yearly.group_key
),

courses as (
    select enrolled.school_year, enrolled.student_id, firsts.group_key,
           count(*) as concentration_courses_cumulative
    from {{ ref('int_students_enrolled') }} as enrolled
    inner join group_first_passes as firsts
        on firsts.student_id = enrolled.student_id
        and firsts.first_year <= enrolled.school_year
    group by enrolled.school_year, enrolled.student_id, firsts.group_key
),

rostered_in_year as (
    select distinct roster.school_year, roster.student_id, programs.group_key
    from {{ ref('int_roster_loaded') }} as roster
    inner join {{ ref('int_programs_grouped') }} as programs on roster.program_code = programs.program_code
)

select
    credits.school_year,
    credits.student_id,
    credits.group_key,
    credits.concentration_credits_cumulative,
    courses.concentration_courses_cumulative,
    rostered_in_year.group_key is not null as has_roster_row_in_year,
    (case when profile.concentrator_measure = 'credits' then credits.concentration_credits_cumulative
          else courses.concentration_courses_cumulative end) >= profile.concentrator_min
    and (rostered_in_year.group_key is not null or not profile.concentrator_needs_group_roster_in_year)
        as is_qualifying
from credits
inner join courses
    on credits.school_year = courses.school_year
    and credits.student_id = courses.student_id
    and credits.group_key = courses.group_key
cross join profile
left join rostered_in_year
    on credits.school_year = rostered_in_year.school_year
    and credits.student_id = rostered_in_year.student_id
    and credits.group_key = rostered_in_year.group_key
