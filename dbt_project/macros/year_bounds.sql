{# First and last day of the school year ending in `year_sql` (July 1 of Y-1 to June 30 of Y). #}
{% macro year_start(year_sql) %}make_date({{ year_sql }} - 1, 7, 1){% endmacro %}
{% macro year_end(year_sql) %}make_date({{ year_sql }}, 6, 30){% endmacro %}
