-- Staged Clearinghouse rows that fail a rule check of SPEC 11.1: a found row names its college, and
-- its enrollment dates unless it is a degree row; an enrollment does not end before it begins.
with checked as (
    select
        school_year,
        student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the file names no district (SPEC 5 attributes it)
        source_file,
        row_number,
        {{ first_failure([
            ("record_found and college_code is null", "MISSING_VALUE",
             "'College Code/Branch is missing on a row with Record Found Y'"),
            ("record_found and not coalesce(graduated, false) and (enrollment_begin is null or enrollment_end is null)",
             "MISSING_VALUE", "'Enrollment Begin and Enrollment End are needed on a found enrollment row'"),
            ("enrollment_end < enrollment_begin", "BAD_VALUE", "'Enrollment End is before Enrollment Begin'"),
        ]) }}
    from {{ ref('stg_staged__nsc_detail') }}
)

select * from checked
where reason_code is not null
