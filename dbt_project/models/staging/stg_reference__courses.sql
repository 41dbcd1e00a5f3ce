select
    program_code,
    course_code,
    course_title,
    course_type,
    cast(credit_value as decimal(8, 2)) as credit_value
from {{ source('reference', 'courses') }}
