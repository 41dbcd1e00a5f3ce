-- Staged roster rows that fail a rule check (docs/inputs.md), with the first failing check in the
-- spec's order. Only these rows are written; int_roster_loaded is the rest.
with repeated_enrollments as (
    -- As in int_students_rejected: a group-by kept to the repeated keys.
    select school_year, student_id, course_code, term, coalesce(period, '') as period, teacher_id,
           count(*) as rows_for_enrollment
    from {{ ref('stg_staged__roster') }}
    group by all
    having count(*) > 1
),

checked as (
    select
        roster.school_year,
        roster.student_id,
        roster.district_id,
        roster.source_file,
        roster.row_number,
        {{ first_failure([
            ("loaded_students.student_id is null", "UNKNOWN_STUDENT",
             "'student_id is not a loaded student of this school year'"),
            ("courses.course_code is null", "COURSE_NOT_IN_SEQUENCE",
             "'course ' || roster.course_code || ' is not on the coherent sequence of program ' || roster.program_code"),
            ("repeated_enrollments.rows_for_enrollment > 1", "DUPLICATE_ENROLLMENT",
             "'the same student, course, term, period and teacher appear ' || repeated_enrollments.rows_for_enrollment || ' times; none of the rows is loaded'"),
        ]) }}
    from {{ ref('stg_staged__roster') }} as roster
    left join repeated_enrollments
        on roster.school_year = repeated_enrollments.school_year
        and roster.student_id = repeated_enrollments.student_id
        and roster.course_code = repeated_enrollments.course_code
        and roster.term = repeated_enrollments.term
        and coalesce(roster.period, '') = repeated_enrollments.period
        and roster.teacher_id = repeated_enrollments.teacher_id
    left join {{ ref('int_students_loaded') }} as loaded_students
        on roster.school_year = loaded_students.school_year
        and roster.student_id = loaded_students.student_id
    left join {{ ref('stg_reference__courses') }} as courses
        on roster.program_code = courses.program_code
        and roster.course_code = courses.course_code
)

select * from checked
where reason_code is not null
