select
    cast(school_year as integer) as school_year,
    student_id,
    branch,
    entry_date,
    separation_date,
    source_file,
    row_number
from {{ source('staged', 'military_service') }}
where school_year <= {{ run_var('school_year') }}
