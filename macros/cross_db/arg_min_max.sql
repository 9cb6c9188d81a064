{#- The value of `value` on the row with the smallest (arg_min) or largest (arg_max) `order_by`, an
    aggregate; rows where either is null are skipped, as DuckDB's arg_min/arg_max do. -#}
{% macro arg_min(value, order_by) -%}
    {{ return(adapter.dispatch('arg_min', 'labeling_analytics')(value, order_by)) }}
{%- endmacro %}

{% macro duckdb__arg_min(value, order_by) -%}
    arg_min({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro postgres__arg_min(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by }}) filter (
        where ({{ value }}) is not null and ({{ order_by }}) is not null
    ))[1]
{%- endmacro %}

{% macro arg_max(value, order_by) -%}
    {{ return(adapter.dispatch('arg_max', 'labeling_analytics')(value, order_by)) }}
{%- endmacro %}

{% macro duckdb__arg_max(value, order_by) -%}
    arg_max({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro postgres__arg_max(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by }} desc) filter (
        where ({{ value }}) is not null and ({{ order_by }}) is not null
    ))[1]
{%- endmacro %}

{#- Spark: min_by / max_by skip rows with a null ordering; the filter skips null values too. -#}
{% macro spark__arg_min(value, order_by) -%}
    min_by({{ value }}, {{ order_by }}) filter (where ({{ value }}) is not null and ({{ order_by }}) is not null)
{%- endmacro %}

{% macro spark__arg_max(value, order_by) -%}
    max_by({{ value }}, {{ order_by }}) filter (where ({{ value }}) is not null and ({{ order_by }}) is not null)
{%- endmacro %}
