select
    cast(school_year as integer) as school_year,
    student_id,
    district_id,
    school_id,
    program_code,
    course_code,
    section_id,
    term,
    period,
    teacher_id,
    cast(credits_attempted as decimal(8, 2)) as credits_attempted,
    cast(credits_earned as decimal(8, 2)) as credits_earned,
    begin_date,
    end_date,
    dual_credit,
    source_file,
    row_number
from {{ source('staged', 'roster') }}
where school_year <= {{ run_var('school_year') }}
