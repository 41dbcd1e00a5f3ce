{# The selected rule profile's parameters, one row; models cross join it. #}
{% macro rule_profile() %}
    (select * from {{ ref('rule_profiles') }} where profile = '{{ run_var('rule_profile') }}')
{% endmacro %}
