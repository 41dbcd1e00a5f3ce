{# The Perkins V special-population flags (20 U.S.C. 2302(48)), named once for every model. #}
{% macro special_populations() %}
    {{ return(['disability', 'econ_disadvantaged', 'english_learner', 'homeless', 'foster_care',
               'military_parent', 'single_parent', 'out_of_workforce']) }}
{% endmacro %}

{# Every Y/N group type of the indicators (docs/snapshot.md): the special populations, the derived
   non-traditional-field flag (2302(48)(C)) and migrant status (an ESEA subgroup). #}
{% macro flag_group_types() %}
    {{ return(special_populations() + ['nontraditional_field', 'migrant']) }}
{% endmacro %}
