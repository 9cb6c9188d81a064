{#- The value of the staging id column whose name a row holds (the catalog's
    `entity_id_column`), so that one model serves every entity kind the catalog lists. -#}
{% macro entity_id_by_column(column_name_expression, relation_alias) -%}
    case {{ column_name_expression }}
        {%- for column in ['user_id', 'project_id', 'dataset_id', 'image_id', 'figure_id', 'class_id', 'tag_id',
                           'meta_target_id'] %}
        when '{{ column }}' then {{ relation_alias }}.{{ column }}
        {%- endfor %}
    end
{%- endmacro %}
