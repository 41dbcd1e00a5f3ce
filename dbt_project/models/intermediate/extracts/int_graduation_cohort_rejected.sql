-- Staged graduation-cohort rows of Y that fail a rule check (docs/inputs.md): graduated but not in
-- that cohort (a bad value), or a student listed twice (every copy rejected).
with marked as (
    select
        *,
        (graduated_four_year and not in_four_year_cohort)
        or (graduated_extended and not in_extended_cohort) as graduated_outside_cohort
    from {{ ref('stg_staged__graduation_cohort') }}
),

repeated_students as (
    select school_year, student_id, count(*) as rows_for_student
    from marked
    where not graduated_outside_cohort
    group by school_year, student_id
    having count(*) > 1
),

checked as (
    select
        marked.school_year,
        marked.student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the extract names no district (docs/rules.md#rejected-rows attributes it)
        marked.source_file,
        marked.row_number,
        {{ first_failure([
            ("marked.graduated_outside_cohort", "BAD_VALUE",
             "'marked as graduated but not in that cohort'"),
            ("repeated_students.rows_for_student > 1", "DUPLICATE_STUDENT",
             "'student_id appears ' || repeated_students.rows_for_student || ' times in the graduation cohort; none of its rows is loaded'"),
        ]) }}
    from marked
    left join repeated_students
        on marked.school_year = repeated_students.school_year
        and marked.student_id = repeated_students.student_id
)

select * from checked
where reason_code is not null
