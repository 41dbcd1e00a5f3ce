-- Every staged student row of years up to Y with the rule check it fails (SPEC 3.1).
with counted as (
    select
        *,
        count(*) over (partition by school_year, student_id) as rows_for_student
    from {{ ref('stg_staged__students') }}
)

select
    *,
    {{ first_failure([
        ("grade_level not between 6 and 12", "GRADE_OUT_OF_RANGE",
         "'grade_level ' || grade_level || ' is outside grades 6-12'"),
        ("rows_for_student > 1", "DUPLICATE_STUDENT",
         "'student_id appears ' || rows_for_student || ' times in this school year; none of its rows is loaded'"),
    ]) }}
from counted
