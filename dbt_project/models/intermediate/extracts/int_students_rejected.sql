-- Staged student rows of years up to Y that fail a rule check (docs/inputs.md), with the first
-- failing check in the spec's order. Only these rows are written: the loaded rows stay in the
-- staged Parquet and are read through int_students_loaded, so no model copies every student.
with repeated_students as (
    -- A group-by kept to the repeated keys: far cheaper than a window over every row.
    select school_year, student_id, count(*) as rows_for_student
    from {{ ref('stg_staged__students') }}
    group by school_year, student_id
    having count(*) > 1
),

checked as (
    select
        students.school_year,
        students.student_id,
        students.district_id,
        students.source_file,
        students.row_number,
        {{ first_failure([
            ("students.grade_level not between 6 and 12", "GRADE_OUT_OF_RANGE",
             "'grade_level ' || students.grade_level || ' is outside grades 6-12'"),
            ("repeated_students.rows_for_student > 1", "DUPLICATE_STUDENT",
             "'student_id appears ' || repeated_students.rows_for_student || ' times in this school year; none of its rows is loaded'"),
        ]) }}
    from {{ ref('stg_staged__students') }} as students
    left join repeated_students
        on students.school_year = repeated_students.school_year
        and students.student_id = repeated_students.student_id
)

select * from checked
where reason_code is not null
