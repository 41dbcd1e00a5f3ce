{# Written by `python -m pipeline.rules.sources` from pipeline/ingest/schema.py: edit the declarations there.
   The extracts with rule checks: each has int_<extract>_rejected and int_<extract>_loaded. #}
{% macro extracts() %}
    {{ return(['students', 'roster', 'exits', 'credentials', 'placements', 'graduation_cohort', 'assessments', 'nsc_detail', 'wage_records', 'military_service', 'service_programs']) }}
{% endmacro %}
