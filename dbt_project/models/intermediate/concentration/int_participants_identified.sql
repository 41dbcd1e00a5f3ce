-- Participants of Y and Y-1 (docs/profiles.md): enrolled, and enough courses or credits in the
-- year, in any program or in a single one, as the profile says.
with profile as {{ rule_profile() }},

per_student as (
    select
        school_year,
        student_id,
        sum(courses_completed_year) as courses_any_program,
        max(courses_completed_year) as courses_single_program,
        sum(credits_earned_year) as credits_any_program,
        max(credits_earned_year) as credits_single_program
    from {{ ref('int_program_credits_accumulated') }}
    group by school_year, student_id
)

select enrolled.*
from per_student
inner join {{ ref('int_students_enrolled') }} as enrolled
    on per_student.school_year = enrolled.school_year
    and per_student.student_id = enrolled.student_id
cross join profile
where (
    case
        when profile.participant_measure = 'courses' and profile.participant_scope = 'any_program'
            then per_student.courses_any_program
        when profile.participant_measure = 'courses' then per_student.courses_single_program
        when profile.participant_scope = 'any_program' then per_student.credits_any_program
        else per_student.credits_single_program
    end
) >= profile.participant_min
