-- Student x program with passed credit up to Y, for students enrolled in Y (docs/snapshot.md).
with profile as {{ rule_profile() }}

select
    accumulated.school_year,
    accumulated.student_id,
    accumulated.program_code,
    accumulated.credits_earned_year,
    accumulated.credits_earned_cumulative,
    accumulated.courses_completed_year,
    accumulated.courses_completed_cumulative,
    participants.student_id is not null
    and case
        when profile.participant_scope = 'single_program' then measure.in_year >= profile.participant_min
        else measure.in_year > 0
    end as is_participant,
    concentrators.student_id is not null and coalesce(groups.is_qualifying, false) as is_concentrator
from {{ ref('int_program_credits_accumulated') }} as accumulated
cross join profile
cross join lateral (
    select case when profile.participant_measure = 'courses' then accumulated.courses_completed_year
                else accumulated.credits_earned_year end as in_year
) as measure
left join {{ ref('int_programs_grouped') }} as programs on accumulated.program_code = programs.program_code
left join {{ ref('int_participants_identified') }} as participants
    on accumulated.school_year = participants.school_year
    and accumulated.student_id = participants.student_id
left join {{ ref('int_concentrators_identified') }} as concentrators
    on accumulated.school_year = concentrators.school_year
    and accumulated.student_id = concentrators.student_id
left join {{ ref('int_concentration_groups_evaluated') }} as groups
    on accumulated.school_year = groups.school_year
    and accumulated.student_id = groups.student_id
    and programs.group_key = groups.group_key
where accumulated.school_year = {{ run_var('school_year') }}
