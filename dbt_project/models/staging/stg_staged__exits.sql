select
    cast(school_year as integer) as school_year,
    student_id,
    district_id,
    school_id,
    exit_date,
    upper(exit_code) as exit_code,
    source_file,
    row_number
from {{ source('staged', 'exits') }}
where school_year <= {{ run_var('school_year') }}
