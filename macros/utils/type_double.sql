{#- An 8-byte float: `double` here, `double precision` in PostgreSQL (dbt's type_float() is a
    4-byte `float` in DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}
