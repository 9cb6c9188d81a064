{#- True for null, empty or whitespace-only text (tabs and a stray \r included, which trim()
    alone would keep). -#}
{% macro is_blank(text_expression) -%}
    {{ return(adapter.dispatch('is_blank', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__is_blank(text_expression) -%}
    regexp_full_match(coalesce({{ text_expression }}, ''), '\s*')
{%- endmacro %}

{% macro postgres__is_blank(text_expression) -%}
    (coalesce({{ text_expression }}, '') ~ '^\s*$')
{%- endmacro %}

{% macro spark__is_blank(text_expression) -%}
    (coalesce({{ text_expression }}, '') rlike '^\\s*\\z')
{%- endmacro %}
