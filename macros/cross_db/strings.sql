{#- Text split at every occurrence of a delimiter (not a pattern), as an array, empty pieces kept. -#}
{% macro split_text(text_expression, delimiter_expression) -%}
    {{ return(adapter.dispatch('split_text', 'labeling_analytics')(text_expression, delimiter_expression)) }}
{%- endmacro %}

{% macro duckdb__split_text(text_expression, delimiter_expression) -%}
    string_split({{ text_expression }}, {{ delimiter_expression }})
{%- endmacro %}

{% macro postgres__split_text(text_expression, delimiter_expression) -%}
    string_to_array({{ text_expression }}, {{ delimiter_expression }})
{%- endmacro %}

{#- Spark: split() takes a pattern, so the delimiter is quoted as a literal (\Q...\E); a limit of
    -1 keeps trailing empty pieces. -#}
{% macro spark__split_text(text_expression, delimiter_expression) -%}
    split({{ text_expression }}, concat('\\Q', {{ delimiter_expression }}, '\\E'), -1)
{%- endmacro %}
