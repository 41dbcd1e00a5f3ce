-- Each student's concentration groups per year (program or career cluster, by profile), with
-- whether the group makes the student a concentrator (SPEC 4.2).
with profile as {{ rule_profile() }},

group_totals as (
    select
        accumulated.school_year,
        accumulated.student_id,
        programs.group_key,
        sum(accumulated.concentration_credits_cumulative) as concentration_credits_cumulative,
        sum(accumulated.concentration_courses_cumulative) as concentration_courses_cumulative
    from {{ ref('int_program_credits_accumulated') }} as accumulated
    inner join {{ ref('int_programs_grouped') }} as programs on accumulated.program_code = programs.program_code
    group by all
),

rostered_in_year as (
    select distinct roster.school_year, roster.student_id, programs.group_key
    from {{ ref('int_roster_loaded') }} as roster
    inner join {{ ref('int_programs_grouped') }} as programs on roster.program_code = programs.program_code
    where roster.school_year >= {{ var('school_year') }} - 1  -- the years int_program_credits_accumulated keeps
)

select
    group_totals.*,
    rostered_in_year.group_key is not null as has_roster_row_in_year,
    (case when profile.concentrator_measure = 'credits' then group_totals.concentration_credits_cumulative
          else group_totals.concentration_courses_cumulative end) >= profile.concentrator_min
    and (rostered_in_year.group_key is not null or not profile.concentrator_needs_group_roster_in_year)
        as is_qualifying
from group_totals
cross join profile
left join rostered_in_year
    on group_totals.school_year = rostered_in_year.school_year
    and group_totals.student_id = rostered_in_year.student_id
    and group_totals.group_key = rostered_in_year.group_key
