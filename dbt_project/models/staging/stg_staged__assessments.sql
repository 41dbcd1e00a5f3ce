select
    cast(school_year as integer) as school_year,
    student_id,
    subject,
    test_date,
    proficient,
    included_in_accountability,
    source_file,
    row_number
from {{ source('staged', 'assessments') }}
where school_year <= {{ run_var('school_year') }}
