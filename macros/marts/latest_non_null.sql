{#- The value of `column` on the latest row that has one (an aggregate): the latest of the rows
    ordered by `order_by` (a list of expressions; the last ones break ties), null rows skipped.
    The dimensions read display names this way, since names change over time (a rename) and a
    record may lack one. -#}
{% macro latest_non_null(column, order_by) -%}
    {{ return(adapter.dispatch('latest_non_null', 'labeling_analytics')(column, order_by)) }}
{%- endmacro %}

{% macro duckdb__latest_non_null(column, order_by) -%}
    arg_max({{ column }}, ({{ order_by | join(', ') }})) filter (where {{ column }} is not null)
{%- endmacro %}

{#- The first of the non-null values in descending order (nulls in the order last, as DuckDB
    never picks a row whose ordering key is null). -#}
{% macro postgres__latest_non_null(column, order_by) -%}
    (array_agg({{ column }} order by
        {%- for expression in order_by %} {{ expression }} desc nulls last{% if not loop.last %},{% endif %}{% endfor %}
    ) filter (where {{ column }} is not null))[1]
{%- endmacro %}

{#- Spark: max_by over a struct orders by its fields in turn, as DuckDB's row comparison. -#}
{% macro spark__latest_non_null(column, order_by) -%}
    max_by({{ column }}, struct({{ order_by | join(', ') }})) filter (where {{ column }} is not null)
{%- endmacro %}
