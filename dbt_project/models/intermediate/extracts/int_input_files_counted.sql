-- Rows read, loaded and rejected per input file of every year up to Y (all of them feed Y's
-- tables: credit is cumulative). Rows read must equal loaded plus rejected (docs/rules.md#rejected-rows), which the
-- expectations and the snapshot manifest rely on. Counted per kind and file: an Ed-Fi resource
-- can feed two kinds (studentSchoolAssociations gives students and exits, docs/inputs.md#ed-fi-resources).
with loaded as (
    {% for source in extracts() %}
    select '{{ source }}' as source, source_file, count(*) as rows_loaded
    from {{ ref('int_' ~ source ~ '_loaded') }}
    group by source_file
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected as (
    select source, source_file, count(*) as rows_rejected
    from (
        select source, source_file from {{ ref('stg_staged__rejected') }}
        {% for source in extracts() %}
        union all
        select '{{ source }}' as source, source_file from {{ ref('int_' ~ source ~ '_rejected') }}
        {% endfor %}
    ) as rejected_rows
    group by source, source_file
)

select
    files.school_year,
    files.source,
    files.source_file,
    files.size_bytes,
    files.sha256,
    files.rows_read,
    coalesce(loaded.rows_loaded, 0) as rows_loaded,
    coalesce(rejected.rows_rejected, 0) as rows_rejected
from {{ ref('stg_staged__files') }} as files
left join loaded on files.source = loaded.source and files.source_file = loaded.source_file
left join rejected on files.source = rejected.source and files.source_file = rejected.source_file
