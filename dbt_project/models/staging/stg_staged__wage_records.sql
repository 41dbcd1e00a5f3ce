select
    cast(school_year as integer) as school_year,
    student_id,
    year,
    quarter,
    employer_id,
    naics,
    wages,
    source_file,
    row_number
from {{ source('staged', 'wage_records') }}
where school_year <= {{ run_var('school_year') }}
