-- Student rows that passed every check, of every year up to Y: "a loaded student of that year".
-- A view: the staged rows less the rejected ones, read for just the columns a model uses.
{{ config(materialized='view') }}

select students.*
from {{ without_rejected('students') }}
