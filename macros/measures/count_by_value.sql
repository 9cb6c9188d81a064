{#- One count per value of a column: `sum(case when <column> = '<value>' then 1 else 0 end) as
    <alias>` for each value -> alias of `measures`, comma-separated. -#}
{% macro count_by_value(column, measures) -%}
    {%- for value, alias in measures.items() %}
    sum(case when {{ column }} = '{{ value }}' then 1 else 0 end) as {{ alias }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The figure and tag actions a member takes on an item, and the name of each one's count. -#}
{% macro item_action_measures() -%}
    {{ return({
        'create_figure': 'figures_created',
        'update_figure': 'figures_updated',
        'disable_figure': 'figures_disabled',
        'restore_figure': 'figures_restored',
        'attach_tag': 'tags_attached',
        'update_tag_value': 'tag_values_updated',
        'detach_tag': 'tags_detached',
    }) }}
{%- endmacro %}
