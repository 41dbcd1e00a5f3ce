-- Student rows that passed every check, of every year up to Y: "a loaded student of that year".
-- A view: the staged rows less the rejected ones, read for just the columns a model uses.
{{ config(materialized='view') }}

select students.*
from {{ ref('stg_staged__students') }} as students
anti join {{ ref('int_students_rejected') }} as rejected
    on students.source_file = rejected.source_file
    and students.row_number = rejected.row_number
