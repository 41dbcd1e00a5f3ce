select
    cast(school_year as integer) as school_year,
    student_id,
    record_found,
    search_date,
    college_code,
    college_years,
    enrollment_begin,
    enrollment_end,
    enrollment_status,
    enrollment_cip,
    graduated,
    source_file,
    row_number
from {{ source('staged', 'nsc_detail') }}
where school_year <= {{ run_var('school_year') }}
