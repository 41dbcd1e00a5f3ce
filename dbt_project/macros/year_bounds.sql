{# First and last day of the school year ending in `year_sql` (July 1 of Y-1 to June 30 of Y). #}
{% macro year_start(year_sql) %}make_date({{ year_sql }} - 1, 7, 1){% endmacro %}
{% macro year_end(year_sql) %}make_date({{ year_sql }}, 6, 30){% endmacro %}
{# Last day a summer exit code (S*) may carry: September 30 after the school year (docs/inputs.md). #}
{% macro summer_end(year_sql) %}make_date({{ year_sql }}, 9, 30){% endmacro %}
{# The label of the school year ending in `year`, 2025 -> 2024-25, as the reference lists write it. #}
{% macro school_year_label(year) %}{{ year - 1 }}-{{ '%02d' % (year % 100) }}{% endmacro %}
