-- Staged military-service rows that fail a rule check of SPEC 11.3: a service does not end
-- before it begins.
with checked as (
    select
        school_year,
        student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the file names no district (SPEC 5 attributes it)
        source_file,
        row_number,
        {{ first_failure([
            ("separation_date < entry_date", "BAD_VALUE", "'separation_date is before entry_date'"),
        ]) }}
    from {{ ref('stg_staged__military_service') }}
)

select * from checked
where reason_code is not null
