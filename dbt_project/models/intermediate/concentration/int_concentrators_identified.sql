-- Concentrators of Y and Y-1, one row per student and year, with the primary program:
-- most concentration credits, then a passed row in the latest year, then the smallest code.
with profile as {{ rule_profile() }},

candidate_programs as (
    select
        accumulated.school_year,
        accumulated.student_id,
        accumulated.program_code,
        row_number() over (
            partition by accumulated.school_year, accumulated.student_id
            order by accumulated.concentration_credits_cumulative desc,
                     accumulated.last_passed_year desc,
                     accumulated.program_code
        ) as preference
    from {{ ref('int_program_credits_accumulated') }} as accumulated
    inner join {{ ref('int_programs_grouped') }} as programs on accumulated.program_code = programs.program_code
    inner join {{ ref('int_concentration_groups_evaluated') }} as groups
        on accumulated.school_year = groups.school_year
        and accumulated.student_id = groups.student_id
        and programs.group_key = groups.group_key
    where groups.is_qualifying
)

select
    enrolled.*,
    candidate_programs.program_code as primary_program_code,
    programs.cip_code,
    programs.career_cluster,
    programs.program_area,
    programs.nontrad_gender
from candidate_programs
inner join {{ ref('int_students_enrolled') }} as enrolled
    on candidate_programs.school_year = enrolled.school_year
    and candidate_programs.student_id = enrolled.student_id
inner join {{ ref('int_programs_grouped') }} as programs on candidate_programs.program_code = programs.program_code
cross join profile
where candidate_programs.preference = 1
  and enrolled.grade_level >= profile.concentrator_min_grade
