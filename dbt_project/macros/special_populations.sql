{# The Perkins V special-population flags (20 U.S.C. 2302(48)), named once for every model. #}
{% macro special_populations() %}
    {{ return(['disability', 'econ_disadvantaged', 'english_learner', 'homeless', 'foster_care',
               'military_parent', 'single_parent', 'out_of_workforce']) }}
{% endmacro %}
