{# The student columns an indicator fact carries, taken from a relation alias. #}
{% macro student_columns(alias) %}
    {{ alias }}.school_year, {{ alias }}.student_id, {{ alias }}.district_id, {{ alias }}.recipient_id,
    {{ alias }}.school_id, {{ alias }}.grade_level, {{ alias }}.gender, {{ alias }}.race_ethnicity
    {%- for flag in flag_group_types() %}, {{ alias }}.{{ flag }}{% endfor %}
{% endmacro %}
