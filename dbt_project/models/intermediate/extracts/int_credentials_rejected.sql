-- Staged credential rows that fail an error check (docs/rules.md#rejected-rows), with the first failing check in
-- the spec's order. Only these rows are written; int_credentials_loaded is the rest.
with catalog_codes as (
    select distinct credential_code from {{ ref('stg_reference__credential_catalog') }}
),

enrollments as (
    -- The first year each student has a loaded roster row in each program.
    select student_id, program_code, min(school_year) as first_year
    from {{ ref('int_roster_loaded') }}
    group by student_id, program_code
),

checked as (
    select
        credentials.school_year,
        credentials.student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the extract names no district (docs/rules.md#rejected-rows attributes it)
        credentials.source_file,
        credentials.row_number,
        {{ first_failure([
            ("catalog_codes.credential_code is null", "CREDENTIAL_NOT_APPROVED",
             "'credential ' || credentials.credential_code || ' is not on the credential catalog'"),
            ("catalog.credential_code is null", "CREDENTIAL_PROGRAM_MISMATCH",
             "'credential ' || credentials.credential_code || ' is not approved for program ' || credentials.program_code"),
            ("enrollments.student_id is null", "CREDENTIAL_WITHOUT_ENROLLMENT",
             "'the student has no loaded roster row in program ' || credentials.program_code || ' in this school year or earlier'"),
        ]) }}
    from {{ ref('stg_staged__credentials') }} as credentials
    left join catalog_codes
        on credentials.credential_code = catalog_codes.credential_code
    left join {{ ref('stg_reference__credential_catalog') }} as catalog
        on credentials.credential_code = catalog.credential_code
        and credentials.program_code = catalog.program_code
    left join enrollments
        on credentials.student_id = enrollments.student_id
        and credentials.program_code = enrollments.program_code
        and enrollments.first_year <= credentials.school_year
)

select * from checked
where reason_code is not null
