{#
  The staged rows of an extract less the ones its rule checks rejected (int_<entity>_rejected),
  for a FROM clause; the staged table is aliased as the entity ("students", "roster", ...).
#}
{% macro without_rejected(entity) %}
    {{ ref('stg_staged__' ~ entity) }} as {{ entity }}
    anti join {{ ref('int_' ~ entity ~ '_rejected') }} as rejected
        on {{ entity }}.source_file = rejected.source_file
        and {{ entity }}.row_number = rejected.row_number
{%- endmacro %}
