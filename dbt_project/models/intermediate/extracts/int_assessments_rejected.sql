-- Staged assessment rows of every year up to Y that fail a rule check (docs/inputs.md): a test date
-- outside the school year (a bad value), a student who is not a loaded student of that year.
with checked as (
    select
        assessments.school_year,
        assessments.student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the extract names no district (docs/rules.md#rejected-rows attributes it)
        assessments.source_file,
        assessments.row_number,
        {{ first_failure([
            ("assessments.test_date not between " ~ year_start('assessments.school_year') ~ " and " ~ year_end('assessments.school_year'),
             "BAD_VALUE",
             "'test_date ' || cast(assessments.test_date as " ~ dbt.type_string() ~ ") || ' is outside the school year'"),
            ("loaded_students.student_id is null", "UNKNOWN_STUDENT",
             "'student_id is not a loaded student of this school year'"),
        ]) }}
    from {{ ref('stg_staged__assessments') }} as assessments
    left join {{ ref('int_students_loaded') }} as loaded_students
        on assessments.school_year = loaded_students.school_year
        and assessments.student_id = loaded_students.student_id
)

select * from checked
where reason_code is not null
