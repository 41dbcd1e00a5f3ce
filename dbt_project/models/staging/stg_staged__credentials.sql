select
    cast(school_year as integer) as school_year,
    student_id,
    school_id,
    program_code,
    course_code,
    upper(credential_code) as credential_code,
    exam_date,
    result,
    proctor_id,
    teacher_id,
    evidence,
    evidence_ref,
    certificate_number,
    source_file,
    row_number
from {{ source('staged', 'credentials') }}
where school_year <= {{ run_var('school_year') }}
