{#- Custom schemas are used as they are (`staging`, `marts`), not prefixed with the target's
    schema, so BI users read `marts.user_daily_activity` on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
