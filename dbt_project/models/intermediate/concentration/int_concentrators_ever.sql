-- Students who were a concentrator in at least one school year up to Y (docs/rules.md#outcomes), with the
-- primary program of the latest such year and the attributes of their latest loaded students
-- row up to Y (district, recipient, school, gender, race, flags).
with latest_concentrator_year as (
    select student_id, primary_program_code, career_cluster
    from {{ ref('int_concentrators_identified') }}
    qualify row_number() over (partition by student_id order by school_year desc) = 1
),

latest_student_row as (
    select *
    from {{ ref('int_students_attributed') }}
    qualify row_number() over (partition by student_id order by school_year desc) = 1
)

select
    {{ student_columns('latest_student_row') }},
    latest_concentrator_year.primary_program_code,
    latest_concentrator_year.career_cluster
from latest_concentrator_year
inner join latest_student_row
    on latest_concentrator_year.student_id = latest_student_row.student_id
