select
    cast(school_year as integer) as school_year,
    kind as source,
    path as source_file,
    size as size_bytes,
    sha256,
    rows_read,
    rows_rejected_format
from {{ source('staged', 'files') }}
where school_year <= {{ run_var('school_year') }}
