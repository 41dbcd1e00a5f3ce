-- Every input row of year Y that was not loaded, once, with its reason (SPEC 5).
select school_year, source, source_file, row_number, student_id, reason_code, reason
from {{ ref('stg_staged__rejected') }}
where school_year = {{ var('school_year') }}
{% for source in extracts() %}
union all
select school_year, '{{ source }}', source_file, row_number, student_id, reason_code, reason
from {{ ref('int_' ~ source ~ '_rejected') }}
where school_year = {{ var('school_year') }}
{% endfor %}
