-- Every input row of year Y that was not loaded, once, with its reason (docs/rules.md#rejected-rows), attributed to
-- a district for the recipient packets: the row's own readable district_id (the district that
-- delivered it), else the district of the student's latest loaded students row up to Y.
with rejected as (
    select school_year, source, source_file, row_number, student_id, district_id, reason_code, reason
    from {{ ref('stg_staged__rejected') }}
    where school_year = {{ run_var('school_year') }}
    {% for source in extracts() %}
    union all
    select school_year, '{{ source }}', source_file, row_number, student_id, district_id, reason_code, reason
    from {{ ref('int_' ~ source ~ '_rejected') }}
    where school_year = {{ run_var('school_year') }}
    {% endfor %}
),

latest_district as (
    select student_id, district_id
    from {{ ref('int_students_loaded') }}
    qualify row_number() over (partition by student_id order by school_year desc) = 1
)

select
    rejected.school_year,
    rejected.source,
    rejected.source_file,
    rejected.row_number,
    rejected.student_id,
    rejected.reason_code,
    rejected.reason,
    coalesce(rejected.district_id, latest_district.district_id) as district_id,
    coalesce(recipients.recipient_id, rejected.district_id, latest_district.district_id) as recipient_id
from rejected
left join latest_district on rejected.student_id = latest_district.student_id
left join {{ ref('stg_reference__recipients') }} as recipients
    on coalesce(rejected.district_id, latest_district.district_id) = recipients.district_id
