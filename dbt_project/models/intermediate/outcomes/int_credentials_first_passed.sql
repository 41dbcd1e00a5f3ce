-- Valid passed credentials, each (student, credential) once, at its first pass.
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select school_year, student_id, credential_code, program_code, exam_date
from {{ ref('int_credentials_loaded') }}
where result = 'P'
qualify row_number() over (
    partition by student_id, credential_code
    order by exam_date, school_year, source_file, row_number
) = 1
