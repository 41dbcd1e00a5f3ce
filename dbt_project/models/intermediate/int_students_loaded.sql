-- Student rows that passed every check, of every year up to Y: "a loaded student of that year".
{{ config(materialized='view') }}  -- cheap, read by a few models: no table to write

select *
from {{ ref('int_students_validated') }}
where reason_code is null
