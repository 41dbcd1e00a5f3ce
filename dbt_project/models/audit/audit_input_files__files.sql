-- What the expectations of suite input_files (files) check: Every input file of the year: nothing lost, not too much rejected (SPEC 5).
select source_file, rows_read, rows_loaded, rows_rejected, rows_read - rows_loaded - rows_rejected as unaccounted_rows, case when rows_read = 0 then 0 else rows_rejected / rows_read end as rejected_share, source_file || ': ' || format('{:,}', rows_rejected) || ' of ' || format('{:,}', rows_read) || ' rows rejected (' || case when rows_read = 0 then 0 else round(100.0 * rows_rejected / rows_read, 1) end || '%)' || case when rows_read <> rows_loaded + rows_rejected then ', ' || (rows_read - rows_loaded - rows_rejected) || ' rows unaccounted for' else '' end as explain
from {{ ref('int_input_files_counted') }}
where school_year = {{ var('school_year') }}
