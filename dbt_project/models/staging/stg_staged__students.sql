select
    cast(school_year as integer) as school_year,
    student_id,
    district_id,
    school_id,
    cast(grade_level as integer) as grade_level,
    gender,
    race_ethnicity,
    disability,
    econ_disadvantaged,
    english_learner,
    homeless,
    foster_care,
    military_parent,
    single_parent,
    out_of_workforce,
    source_file,
    row_number
from {{ source('staged', 'students') }}
where school_year <= {{ var('school_year') }}
