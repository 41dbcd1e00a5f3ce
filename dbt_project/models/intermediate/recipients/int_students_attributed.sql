-- Loaded students of every year up to Y with what the indicators group them by: their eligible
-- recipient (recipients.csv, else their own district: docs/words.md) and whether they prepare for a
-- non-traditional field in that year (a passed roster row in a program whose nontrad_gender is
-- their gender: docs/rules.md#outcomes).
with nontraditional as (
    select distinct roster.school_year, roster.student_id
    from {{ ref('int_roster_loaded') }} as roster
    inner join {{ ref('stg_reference__programs') }} as programs
        on roster.program_code = programs.program_code
    inner join {{ ref('int_students_loaded') }} as students
        on roster.school_year = students.school_year
        and roster.student_id = students.student_id
    where roster.credits_earned > 0
      and programs.nontrad_gender = students.gender
)

select
    students.school_year,
    students.student_id,
    students.district_id,
    coalesce(recipients.recipient_id, students.district_id) as recipient_id,
    students.school_id,
    students.grade_level,
    students.gender,
    students.race_ethnicity,
    {{ special_populations() | join(',\n    ') }},
    nontraditional.student_id is not null as nontraditional_field,
    students.migrant
from {{ ref('int_students_loaded') }} as students
left join {{ ref('stg_reference__recipients') }} as recipients
    on students.district_id = recipients.district_id
left join nontraditional
    on students.school_year = nontraditional.school_year
    and students.student_id = nontraditional.student_id
