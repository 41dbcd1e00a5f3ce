-- Passed roster rows of the years in which the student was enrolled in grades 9-12 (docs/rules.md#building-blocks),
-- one row per student, year, program and course: the only rows any count or outcome reads.
-- is_excluded marks the profile's course types left out of concentrator counting.
with profile as (
    -- `internship|coop`, bracketed so one course type matches whole: `|internship|coop|`
    select '|' || coalesce(excluded_course_types, '') || '|' as excluded_types
    from {{ rule_profile() }}
)

select
    roster.school_year,
    roster.student_id,
    roster.program_code,
    programs.group_key,
    roster.course_code,
    roster.course_type,
    profile.excluded_types like ('%|' || roster.course_type || '|%') as is_excluded,
    bool_or(roster.dual_credit) as dual_credit,
    sum(roster.credits_earned) as credits_earned
from {{ ref('int_roster_loaded') }} as roster
inner join {{ ref('int_students_enrolled') }} as enrolled
    on roster.school_year = enrolled.school_year
    and roster.student_id = enrolled.student_id
inner join {{ ref('int_programs_grouped') }} as programs
    on roster.program_code = programs.program_code
cross join profile
where roster.credits_earned > 0
group by all
