-- Staged exit rows that fail a rule check (docs/inputs.md), with the first failing check in the
-- spec's order. Only these rows are written; int_exits_loaded is the rest.
with exits as (
    select
        exits.school_year,
        exits.student_id,
        exits.district_id,
        exits.exit_code,
        exits.exit_date,
        exits.source_file,
        exits.row_number,
        codes.exit_code as listed_code,
        {{ year_start('exits.school_year') }} as year_start,
        -- Summer codes may be reported up to September 30 after the school year.
        case when coalesce(codes.is_summer, false) then {{ summer_end('exits.school_year') }}
             else {{ year_end('exits.school_year') }} end as year_end
    from {{ ref('stg_staged__exits') }} as exits
    left join {{ ref('exit_codes') }} as codes
        on exits.exit_code = codes.exit_code
),

checked as (
    select
        exits.school_year,
        exits.student_id,
        exits.district_id,
        exits.source_file,
        exits.row_number,
        {{ first_failure([
            ("exits.exit_date not between exits.year_start and exits.year_end", "EXIT_DATE_OUTSIDE_YEAR",
             "'exit_date ' || cast(exits.exit_date as " ~ dbt.type_string() ~ ") || ' is outside the school year (' || cast(exits.year_start as " ~ dbt.type_string() ~ ") || ' to ' || cast(exits.year_end as " ~ dbt.type_string() ~ ") || ')'"),
            ("exits.listed_code is null", "UNKNOWN_EXIT_CODE",
             "'exit_code ' || exits.exit_code || ' is not on the exit-code list'"),
            ("loaded_students.student_id is null", "UNKNOWN_STUDENT",
             "'student_id is not a loaded student of this school year'"),
        ]) }}
    from exits
    left join {{ ref('int_students_loaded') }} as loaded_students
        on exits.school_year = loaded_students.school_year
        and exits.student_id = loaded_students.student_id
)

select * from checked
where reason_code is not null
