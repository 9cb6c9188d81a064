{#- A timestamp as ISO-8601 text with microseconds, '2024-05-01T09:00:00.000000' (event keys
    hash it, so every engine must spell it alike). -#}
{% macro format_timestamp_iso(timestamp_expression) -%}
    {{ return(adapter.dispatch('format_timestamp_iso', 'labeling_analytics')(timestamp_expression)) }}
{%- endmacro %}

{% macro duckdb__format_timestamp_iso(timestamp_expression) -%}
    strftime({{ timestamp_expression }}, '%Y-%m-%dT%H:%M:%S.%f')
{%- endmacro %}

{% macro spark__format_timestamp_iso(timestamp_expression) -%}
    date_format({{ timestamp_expression }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
{%- endmacro %}
