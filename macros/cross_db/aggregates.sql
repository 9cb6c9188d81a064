{#- The value on the row with the smallest / largest `order_expression` of a group (an
    aggregate): DuckDB's arg_min / arg_max, Spark's min_by / max_by. -#}
{% macro arg_min(value_expression, order_expression) -%}
    {{ return(adapter.dispatch('arg_min', 'labeling_analytics')(value_expression, order_expression)) }}
{%- endmacro %}

{% macro duckdb__arg_min(value_expression, order_expression) -%}
    arg_min({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__arg_min(value_expression, order_expression) -%}
    min_by({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro arg_max(value_expression, order_expression) -%}
    {{ return(adapter.dispatch('arg_max', 'labeling_analytics')(value_expression, order_expression)) }}
{%- endmacro %}

{% macro duckdb__arg_max(value_expression, order_expression) -%}
    arg_max({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__arg_max(value_expression, order_expression) -%}
    max_by({{ value_expression }}, {{ order_expression }})
{%- endmacro %}
