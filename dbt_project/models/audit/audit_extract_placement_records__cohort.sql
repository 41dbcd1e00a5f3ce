-- What the expectations of suite extract_placement_records (cohort) check: rows of the placement
-- records of Y about students outside the 3S1 cohort load and are not used (docs/placement-records.md), per file.
with cohort as (
    select student_id from {{ ref('int_placement_records_found') }}
),

records as (
    {% for kind in ['nsc_detail', 'wage_records', 'military_service', 'service_programs'] %}
    select source_file, student_id from {{ ref('int_' ~ kind ~ '_loaded') }}
    where school_year = {{ run_var('school_year') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    records.source_file,
    count(*) as rows_loaded,
    count(case when cohort.student_id is null then 1 end) as rows_not_used,
    records.source_file || ': ' || {{ thousands('count(case when cohort.student_id is null then 1 end)') }}
        || ' of ' || {{ thousands('count(*)') }} || ' loaded rows are about students outside the 3S1 cohort'
        || ' (read, not used)' as explain
from records
left join cohort on records.student_id = cohort.student_id
group by records.source_file
