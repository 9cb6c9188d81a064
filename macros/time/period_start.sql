{#- The first day of the `period` ('day', 'week' (ISO: Monday) or 'month') that a date falls in,
    as a date. -#}
{% macro period_start(period, date_expression) -%}
    {{ return(adapter.dispatch('period_start', 'labeling_analytics')(period, date_expression)) }}
{%- endmacro %}

{% macro default__period_start(period, date_expression) -%}
    {%- if period == 'day' -%}
        {{ date_expression }}
    {%- else -%}
        cast(date_trunc('{{ period }}', {{ date_expression }}) as date)
    {%- endif -%}
{%- endmacro %}

{#- PostgreSQL: date_trunc of a date goes through timestamptz (the session's zone); truncate the
    timestamp instead. -#}
{% macro postgres__period_start(period, date_expression) -%}
    {%- if period == 'day' -%}
        {{ date_expression }}
    {%- else -%}
        cast(date_trunc('{{ period }}', cast({{ date_expression }} as timestamp)) as date)
    {%- endif -%}
{%- endmacro %}
