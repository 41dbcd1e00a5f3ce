{#
  For int_placement_records_found (docs/placement-records.md): the students of its `bounds` with a term (an
  enlistment, a service term) in year Y's records that began by the end of their measurement
  quarter and had not ended before its start.
#}
{% macro in_the_quarter(relation, starts, ends) %}
    select distinct bounds.student_id
    from bounds
    inner join {{ ref(relation) }} as term on bounds.student_id = term.student_id
    where term.school_year = {{ run_var('school_year') }}
      and term.{{ starts }} <= bounds.quarter_end
      and (term.{{ ends }} is null or term.{{ ends }} >= bounds.quarter_start)
{% endmacro %}
