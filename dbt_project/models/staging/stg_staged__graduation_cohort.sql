select
    cast(school_year as integer) as school_year,
    student_id,
    in_four_year_cohort,
    graduated_four_year,
    in_extended_cohort,
    graduated_extended,
    source_file,
    row_number
from {{ source('staged', 'graduation_cohort') }}
where school_year <= {{ run_var('school_year') }}
