{#- Arrays of text: DuckDB's lists, PostgreSQL's arrays. -#}

{#- An array from a comma-separated list of SQL expressions. -#}
{% macro array_literal(items_sql) -%}
    {{ return(adapter.dispatch('array_literal', 'labeling_analytics')(items_sql)) }}
{%- endmacro %}

{% macro duckdb__array_literal(items_sql) -%}
    [{{ items_sql }}]
{%- endmacro %}

{% macro postgres__array_literal(items_sql) -%}
    array[{{ items_sql }}]::text[]
{%- endmacro %}

{#- The array without its null elements, in order. -#}
{% macro array_without_nulls(array_expression) -%}
    {{ return(adapter.dispatch('array_without_nulls', 'labeling_analytics')(array_expression)) }}
{%- endmacro %}

{% macro duckdb__array_without_nulls(array_expression) -%}
    list_filter(
        {{ array_expression }},
        lambda element: element is not null
    )
{%- endmacro %}

{% macro postgres__array_without_nulls(array_expression) -%}
    array_remove({{ array_expression }}, null)
{%- endmacro %}

{#- The array without the elements equal to one of `values` (a list of strings), in order. -#}
{% macro array_without_values(array_expression, values) -%}
    {{ return(adapter.dispatch('array_without_values', 'labeling_analytics')(array_expression, values)) }}
{%- endmacro %}

{% macro duckdb__array_without_values(array_expression, values) -%}
    list_filter(
        {{ array_expression }},
        lambda element: not list_contains({{ values | tojson | replace('"', "'") }}, element)
    )
{%- endmacro %}

{% macro postgres__array_without_values(array_expression, values) -%}
    {%- set result = namespace(sql=array_expression) -%}
    {%- for value in values -%}
        {%- set result.sql = "array_remove(" ~ result.sql ~ ", '" ~ value ~ "')" -%}
    {%- endfor -%}
    {{ result.sql }}
{%- endmacro %}

{#- The number of elements of an array (0 for an empty one). -#}
{% macro array_size(array_expression) -%}
    {{ return(adapter.dispatch('array_size', 'labeling_analytics')(array_expression)) }}
{%- endmacro %}

{% macro duckdb__array_size(array_expression) -%}
    len({{ array_expression }})
{%- endmacro %}

{% macro postgres__array_size(array_expression) -%}
    cardinality({{ array_expression }})
{%- endmacro %}

{% macro spark__array_literal(items_sql) -%}
    array({{ items_sql }})
{%- endmacro %}

{% macro spark__array_without_nulls(array_expression) -%}
    array_compact({{ array_expression }})
{%- endmacro %}

{% macro spark__array_without_values(array_expression, values) -%}
    filter({{ array_expression }}, element -> element not in ('{{ values | join("', '") }}'))
{%- endmacro %}

{% macro spark__array_size(array_expression) -%}
    size({{ array_expression }})
{%- endmacro %}

{#- Whether an array holds a value. -#}
{% macro array_contains_value(array_expression, value_expression) -%}
    {{ return(adapter.dispatch('array_contains_value', 'labeling_analytics')(array_expression, value_expression)) }}
{%- endmacro %}

{% macro duckdb__array_contains_value(array_expression, value_expression) -%}
    list_contains({{ array_expression }}, {{ value_expression }})
{%- endmacro %}

{% macro postgres__array_contains_value(array_expression, value_expression) -%}
    ({{ value_expression }}) = any({{ array_expression }})
{%- endmacro %}

{% macro spark__array_contains_value(array_expression, value_expression) -%}
    array_contains({{ array_expression }}, {{ value_expression }})
{%- endmacro %}
