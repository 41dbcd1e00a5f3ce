select
    cast(school_year as integer) as school_year,
    student_id,
    district_id,
    school_id,
    cast(grade_level as integer) as grade_level,
    gender,
    race_ethnicity,
    {{ special_populations() | join(',\n    ') }},
    migrant,
    source_file,
    row_number
from {{ source('staged', 'students') }}
where school_year <= {{ run_var('school_year') }}
