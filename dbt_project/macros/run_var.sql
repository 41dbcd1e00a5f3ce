{#
  A parameter of the run: school_year, rule_profile, suppression_threshold, code_version,
  staged_dir, spark_dir.

  The pipeline gives them to dbt as environment variables (CTESNAP_SCHOOL_YEAR, ...; see
  pipeline/core/resources.py), read here only while dbt executes, never while it parses: dbt parses
  the whole project again whenever its --vars change, so parameters passed as vars cost a full
  parse for every school year and data directory, while these leave one parse serving them all.
  Without its environment variable a parameter is the var of that name (dbt run by hand with
  --vars, unit tests' overrides, the defaults in dbt_project.yml).
#}
{% macro run_var(name) %}
    {%- set from_environment = env_var('CTESNAP_' ~ name | upper, '') if execute else '' -%}
    {%- if from_environment == '' -%}
        {{ return(var(name)) }}
    {%- endif -%}
    {{ return(from_environment | int if from_environment.isdigit() else from_environment) }}
{% endmacro %}

{#
  A test's `where` is rendered when dbt parses, so it cannot name a run parameter directly: it
  says __school_year__ and this (dbt's documented override of get_where_subquery) puts the run's
  year in when the test runs.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set where = where | replace('__school_year__', run_var('school_year') | string) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
