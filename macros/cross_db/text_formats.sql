{#- Values written as text the way DuckDB writes them, so that keys hashed over them (event_id)
    are the same on every engine. -#}

{#- A timestamp as 'YYYY-MM-DDTHH:MM:SS.ffffff'. -#}
{% macro timestamp_to_iso_text(timestamp_expression) -%}
    {{ return(adapter.dispatch('timestamp_to_iso_text', 'labeling_analytics')(timestamp_expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_to_iso_text(timestamp_expression) -%}
    strftime({{ timestamp_expression }}, '%Y-%m-%dT%H:%M:%S.%f')
{%- endmacro %}

{% macro postgres__timestamp_to_iso_text(timestamp_expression) -%}
    to_char({{ timestamp_expression }}, 'YYYY-MM-DD"T"HH24:MI:SS.US')
{%- endmacro %}

{#- A double as text: the shortest text that reads back to it, a whole number with '.0'
    (DuckDB's cast to varchar; PostgreSQL omits the '.0'). -#}
{% macro double_to_text(double_expression) -%}
    {{ return(adapter.dispatch('double_to_text', 'labeling_analytics')(double_expression)) }}
{%- endmacro %}

{% macro duckdb__double_to_text(double_expression) -%}
    cast({{ double_expression }} as varchar)
{%- endmacro %}

{% macro postgres__double_to_text(double_expression) -%}
    {{ engine_functions_schema() }}.la_double_text({{ double_expression }})
{%- endmacro %}

{#- Whether a double is a finite number (not infinite, not NaN). -#}
{% macro is_finite_double(double_expression) -%}
    {{ return(adapter.dispatch('is_finite_double', 'labeling_analytics')(double_expression)) }}
{%- endmacro %}

{% macro duckdb__is_finite_double(double_expression) -%}
    isfinite({{ double_expression }})
{%- endmacro %}

{% macro postgres__is_finite_double(double_expression) -%}
    ({{ double_expression }}) not in (
        cast('Infinity' as double precision), cast('-Infinity' as double precision), cast('NaN' as double precision)
    )
{%- endmacro %}
