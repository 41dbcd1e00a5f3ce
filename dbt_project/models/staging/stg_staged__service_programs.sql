select
    cast(school_year as integer) as school_year,
    student_id,
    program,
    start_date,
    end_date,
    source_file,
    row_number
from {{ source('staged', 'service_programs') }}
where school_year <= {{ run_var('school_year') }}
