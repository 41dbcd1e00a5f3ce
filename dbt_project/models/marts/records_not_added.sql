-- Every input row of year Y that was not loaded, once, with its reason (SPEC 5).
{% set rule_checked = [
    ('students', 'int_students_validated'),
    ('roster', 'int_roster_validated'),
    ('exits', 'int_exits_validated'),
    ('credentials', 'int_credentials_validated'),
    ('placements', 'int_placements_validated'),
] %}
select school_year, source, source_file, row_number, student_id, reason_code, reason
from {{ ref('stg_staged__rejected') }}
{% for source, model in rule_checked %}
union all
select school_year, '{{ source }}', source_file, row_number, student_id, reason_code, reason
from {{ ref(model) }}
where school_year = {{ var('school_year') }}
  and reason_code is not null
{% endfor %}
