{#
  What differs between the engines, in one place (docs/commands.md `--engine duckdb|spark`).

  register_sources (on-run-start): one view per source over its staged Parquet files, in a schema
  named as the source, made when the run starts because the staged folder is a run parameter
  (macros/run_var.sql).

  export_relations (on-run-end): Spark writes every model and seed it built (but the views over
  staged extracts, which nothing after dbt reads) as Parquet under
  run_var('spark_dir')/export/, which the pipeline loads into the year's DuckDB file, so the checks,
  snapshot, report and exports read the same tables whichever engine built them.
#}
{% macro register_sources() %}
    {% if execute %}
    {% for node in graph.sources.values() %}
        {% do run_query('create schema if not exists ' ~ node.schema) %}
        {% do run_query('create or replace view ' ~ node.schema ~ '.' ~ node.identifier ~ ' as select * from '
                        ~ parquet_files(source_files(node))) %}
    {% endfor %}
    {% endif %}
{% endmacro %}

{# The files of a source: every school year's folder for staged extracts, one file for the others. #}
{% macro source_files(node) %}
    {% set folders = {'staged': '[0-9]*/', 'reference': 'reference/', 'certified': 'certified/'} %}
    {{ return(run_var('staged_dir') ~ '/' ~ folders[node.source_name] ~ node.identifier ~ '.parquet') }}
{% endmacro %}

{# Parquet files as a relation: DuckDB reads a glob (staged years may differ in columns), Spark a path. #}
{% macro parquet_files(path) %}{{ return(adapter.dispatch('parquet_files')(path)) }}{% endmacro %}

{% macro default__parquet_files(path) %}read_parquet('{{ path }}', union_by_name = true){% endmacro %}

{% macro spark__parquet_files(path) %}parquet.`{{ path }}`{% endmacro %}

{% macro export_relations(results) %}{{ return(adapter.dispatch('export_relations')(results)) }}{% endmacro %}

{% macro default__export_relations(results) %}{% endmacro %}

{% macro spark__export_relations(results) %}
    {% if execute %}
    {# Not the views over staged extracts: nothing after dbt reads them, and each would re-read every staged row. #}
    {% for result in results if result.node.resource_type in ('model', 'seed') and result.status == 'success'
                                and not result.node.name.startswith('stg_staged__') %}
        {% do run_query("insert overwrite directory '" ~ run_var('spark_dir') ~ '/export/' ~ result.node.alias
                        ~ "' using parquet select * from " ~ result.node.schema ~ '.' ~ result.node.alias) %}
    {% endfor %}
    {% endif %}
{% endmacro %}

{# A count as text with thousands separators (1,234), for messages people read. #}
{% macro thousands(expr) %}{{ return(adapter.dispatch('thousands')(expr)) }}{% endmacro %}

{% macro default__thousands(expr) %}format('{:,}', {{ expr }}){% endmacro %}

{% macro spark__thousands(expr) %}format_number({{ expr }}, 0){% endmacro %}

{#
  Seeds on Spark: dbt-spark binds every cell, and session mode writes an empty one as the
  string 'None' (dbt-spark#901, closed as wontfix). This is dbt-spark's own seed loader with
  one change: an empty cell is written as a typed null instead of being bound.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set bindings = [] %}
        {% for row in chunk %}
            {% do bindings.extend(row | reject('none')) %}
        {% endfor %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ 'null' if row[loop.index0] is none else get_binding_char() }} as {{ type }})
                    {%- if not loop.last %},{% endif %}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
