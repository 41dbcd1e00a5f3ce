select
    cast(school_year as integer) as school_year,
    student_id,
    survey_date,
    deceased,
    education_status,
    employment_status,
    service_program,
    job_related,
    self_employed,
    source_file,
    row_number
from {{ source('staged', 'placements') }}
where school_year <= {{ run_var('school_year') }}
