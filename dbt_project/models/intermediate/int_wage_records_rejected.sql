-- Staged wage rows that fail a rule check: none beyond their format checks (SPEC 11.2: year,
-- quarter and wages in range are checked as the file is read). The model keeps every extract's
-- shape: its loaded rows are the staged rows less these.
select
    school_year,
    student_id,
    cast(null as {{ dbt.type_string() }}) as district_id,
    source_file,
    row_number,
    cast(null as {{ dbt.type_string() }}) as reason_code,
    cast(null as {{ dbt.type_string() }}) as reason
from {{ ref('stg_staged__wage_records') }}
where false
