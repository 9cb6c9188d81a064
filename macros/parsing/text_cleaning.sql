{#- Display names: an empty or blank string means "no value". -#}
{% macro clean_text(expression) -%}
    case when trim({{ expression }}) <> '' then {{ expression }} end
{%- endmacro %}

{#- Ids as exports write a missing one: '', 'None', 'NaN', 'null' (pandas and Python reprs). -#}
{% macro clean_id_text(expression) -%}
    case
        when lower(trim({{ expression }})) not in ('', 'none', 'nan', 'null')
            then trim({{ expression }})
    end
{%- endmacro %}
