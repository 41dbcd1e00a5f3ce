-- Staged service-program rows that fail a rule check of SPEC 11.4: a term does not end before
-- it begins.
with checked as (
    select
        school_year,
        student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the file names no district (SPEC 5 attributes it)
        source_file,
        row_number,
        {{ first_failure([
            ("end_date < start_date", "BAD_VALUE", "'end_date is before start_date'"),
        ]) }}
    from {{ ref('stg_staged__service_programs') }}
)

select * from checked
where reason_code is not null
