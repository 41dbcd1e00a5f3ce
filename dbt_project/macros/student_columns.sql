{# The student columns an indicator fact carries, taken from a relation alias. #}
{% macro student_columns(alias) %}
    {{ alias }}.school_year, {{ alias }}.student_id, {{ alias }}.district_id, {{ alias }}.school_id,
    {{ alias }}.grade_level, {{ alias }}.gender, {{ alias }}.race_ethnicity,
    {{ alias }}.disability, {{ alias }}.econ_disadvantaged, {{ alias }}.english_learner,
    {{ alias }}.homeless, {{ alias }}.foster_care, {{ alias }}.military_parent,
    {{ alias }}.single_parent, {{ alias }}.out_of_workforce
{% endmacro %}
