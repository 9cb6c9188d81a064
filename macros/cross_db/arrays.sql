{#- Arrays of scalars: DuckDB's lists and list functions, Spark's arrays and higher-order
    functions. -#}

{#- An array of the SQL expressions in `elements` (a list). -#}
{% macro make_array(elements) -%}
    {{ return(adapter.dispatch('make_array', 'labeling_analytics')(elements)) }}
{%- endmacro %}

{% macro duckdb__make_array(elements) -%}
    [{{ elements | join(', ') }}]
{%- endmacro %}

{% macro spark__make_array(elements) -%}
    array({{ elements | join(', ') }})
{%- endmacro %}


{#- The array without its null elements. -#}
{% macro array_without_nulls(array_expression) -%}
    {{ return(adapter.dispatch('array_without_nulls', 'labeling_analytics')(array_expression)) }}
{%- endmacro %}

{% macro duckdb__array_without_nulls(array_expression) -%}
    list_filter({{ array_expression }}, lambda element: element is not null)
{%- endmacro %}

{% macro spark__array_without_nulls(array_expression) -%}
    array_compact({{ array_expression }})
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

{% macro spark__array_without_values(array_expression, values) -%}
    filter({{ array_expression }}, element -> element not in ('{{ values | join("', '") }}'))
{%- endmacro %}


{#- The number of elements of a (non-null) array. -#}
{% macro array_size(array_expression) -%}
    {{ return(adapter.dispatch('array_size', 'labeling_analytics')(array_expression)) }}
{%- endmacro %}

{% macro duckdb__array_size(array_expression) -%}
    len({{ array_expression }})
{%- endmacro %}

{% macro spark__array_size(array_expression) -%}
    size({{ array_expression }})
{%- endmacro %}


{#- Whether the array holds the value. -#}
{% macro array_has(array_expression, value_expression) -%}
    {{ return(adapter.dispatch('array_has', 'labeling_analytics')(array_expression, value_expression)) }}
{%- endmacro %}

{% macro duckdb__array_has(array_expression, value_expression) -%}
    list_contains({{ array_expression }}, {{ value_expression }})
{%- endmacro %}

{% macro spark__array_has(array_expression, value_expression) -%}
    array_contains({{ array_expression }}, {{ value_expression }})
{%- endmacro %}
