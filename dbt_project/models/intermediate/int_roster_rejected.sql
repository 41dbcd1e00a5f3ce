-- Every staged roster row with the rule check it fails (SPEC 3.2), in the spec's order.
with roster as (
    select
        *,
        count(*) over (
            partition by school_year, student_id, course_code, term, coalesce(period, ''), teacher_id
        ) as rows_for_enrollment
    from {{ ref('stg_staged__roster') }}
),

loaded_students as (
    select school_year, student_id, grade_level from {{ ref('int_students_loaded') }}
)

select
    roster.*,
    loaded_students.grade_level as student_grade_level,
    courses.course_type,
    courses.credit_value,
    {{ first_failure([
        ("loaded_students.student_id is null", "UNKNOWN_STUDENT",
         "'student_id is not a loaded student of this school year'"),
        ("courses.course_code is null", "COURSE_NOT_IN_SEQUENCE",
         "'course ' || roster.course_code || ' is not on the coherent sequence of program ' || roster.program_code"),
        ("rows_for_enrollment > 1", "DUPLICATE_ENROLLMENT",
         "'the same student, course, term, period and teacher appear ' || rows_for_enrollment || ' times; none of the rows is loaded'"),
    ]) }}
from roster
left join loaded_students
    on roster.school_year = loaded_students.school_year
    and roster.student_id = loaded_students.student_id
left join {{ ref('stg_reference__courses') }} as courses
    on roster.program_code = courses.program_code
    and roster.course_code = courses.course_code
