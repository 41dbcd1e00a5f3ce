{#
  The rows of a staged extract that fail a rule check (docs/rules.md#rejected-rows), for an extract that names no
  district: each with its first failing check's reason. `checks` as first_failure() takes them;
  none: no row is rejected by a rule (the shape every extract's rejected model has).
#}
{% macro rejected_by_rules(entity, checks) %}
with checked as (
    select
        school_year,
        student_id,
        cast(null as {{ dbt.type_string() }}) as district_id,  -- the file names no district (docs/rules.md#rejected-rows attributes it)
        source_file,
        row_number,
        {% if checks %}{{ first_failure(checks) }}
        {% else %}cast(null as {{ dbt.type_string() }}) as reason_code,
        cast(null as {{ dbt.type_string() }}) as reason
        {% endif %}
    from {{ ref('stg_staged__' ~ entity) }}
)

select * from checked
where reason_code is not null
{% endmacro %}
