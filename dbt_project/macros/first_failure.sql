{#
  Reason code and plain-English reason of the first failing check, in the order given
  (docs/rules.md#rejected-rows: the first problem in rule order is a row's reason). Each check is
  (condition SQL, reason code, reason SQL expression).
#}
{% macro first_failure(checks) %}
    case
    {%- for condition, code, message in checks %}
        when {{ condition }} then '{{ code }}'
    {%- endfor %}
    end as reason_code,
    case
    {%- for condition, code, message in checks %}
        when {{ condition }} then {{ message }}
    {%- endfor %}
    end as reason
{% endmacro %}
