select
    cast(school_year as integer) as school_year,
    source,
    source_file,
    cast(row_number as bigint) as row_number,
    student_id,
    district_id,
    reason_code,
    reason
from {{ source('staged', 'rejected') }}
where school_year <= {{ run_var('school_year') }}
