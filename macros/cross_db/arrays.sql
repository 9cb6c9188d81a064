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

{#- One row per element of an array column: a select over `relation` with `columns`, the element
    as `value_alias` and, when given, its 1-based position as `position_alias`. -#}
{% macro array_rows(relation, array_column, columns, value_alias, position_alias=none) -%}
    {{ return(adapter.dispatch('array_rows', 'labeling_analytics')(
        relation, array_column, columns, value_alias, position_alias
    )) }}
{%- endmacro %}

{% macro duckdb__array_rows(relation, array_column, columns, value_alias, position_alias=none) -%}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        {%- if position_alias %}
        generate_subscripts({{ array_column }}, 1) as {{ position_alias }},
        {%- endif %}
        unnest({{ array_column }}) as {{ value_alias }}
    from {{ relation }}
{%- endmacro %}

{% macro postgres__array_rows(relation, array_column, columns, value_alias, position_alias=none) -%}
    select
        {%- for column in columns %}
        array_row_source.{{ column }},
        {%- endfor %}
        {%- if position_alias %}
        array_element.element_position as {{ position_alias }},
        {%- endif %}
        array_element.element_value as {{ value_alias }}
    from {{ relation }} as array_row_source
    cross join unnest(array_row_source.{{ array_column }}) with ordinality as array_element (element_value, element_position)
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

{#- Spark: posexplode in a lateral view (positions from 0). -#}
{% macro spark__array_rows(relation, array_column, columns, value_alias, position_alias=none) -%}
    select
        {%- for column in columns %}
        array_row_source.{{ column }},
        {%- endfor %}
        {%- if position_alias %}
        array_element.element_position + 1 as {{ position_alias }},
        {%- endif %}
        array_element.element_value as {{ value_alias }}
    from {{ relation }} as array_row_source
    lateral view posexplode(array_row_source.{{ array_column }}) array_element as element_position, element_value
{%- endmacro %}
