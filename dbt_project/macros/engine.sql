{#
  What differs between the engines, in one place (SPEC 7 `--engine duckdb|spark`).

  register_sources (on-run-start): DuckDB reads the staged Parquet through each source's
  `external_location` (_sources.yml) and needs nothing here; Spark gets one view per source over
  the same files, in a schema named as the source.

  export_relations (on-run-end): Spark writes every model and seed it built as Parquet under
  var('spark_dir')/export/, which the pipeline loads into the year's DuckDB file, so the checks,
  snapshot, report and exports read the same tables whichever engine built them.
#}
{% macro register_sources() %}{{ return(adapter.dispatch('register_sources')()) }}{% endmacro %}

{% macro default__register_sources() %}{% endmacro %}

{% macro spark__register_sources() %}
    {% if execute %}
    {% set folders = {'staged': '[0-9]*/', 'reference': 'reference/', 'certified': 'certified/'} %}
    {% for node in graph.sources.values() %}
        {% do run_query('create database if not exists ' ~ node.schema) %}
        {% do run_query('create or replace view ' ~ node.schema ~ '.' ~ node.identifier ~ ' as select * from parquet.`'
                        ~ var('staged_dir') ~ '/' ~ folders[node.source_name] ~ node.identifier ~ '.parquet`') %}
    {% endfor %}
    {% endif %}
{% endmacro %}

{% macro export_relations(results) %}{{ return(adapter.dispatch('export_relations')(results)) }}{% endmacro %}

{% macro default__export_relations(results) %}{% endmacro %}

{% macro spark__export_relations(results) %}
    {% if execute %}
    {% for result in results if result.node.resource_type in ('model', 'seed') and result.status == 'success' %}
        {% do run_query("insert overwrite directory '" ~ var('spark_dir') ~ '/export/' ~ result.node.alias
                        ~ "' using parquet select * from " ~ result.node.schema ~ '.' ~ result.node.alias) %}
    {% endfor %}
    {% endif %}
{% endmacro %}

{# A count as text with thousands separators (1,234), for messages people read. #}
{% macro thousands(expr) %}{{ return(adapter.dispatch('thousands')(expr)) }}{% endmacro %}

{% macro default__thousands(expr) %}format('{:,}', {{ expr }}){% endmacro %}

{% macro spark__thousands(expr) %}format_number({{ expr }}, 0){% endmacro %}
