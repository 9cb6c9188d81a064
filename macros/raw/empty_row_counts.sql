{#- A per-file row count with no row: for a format no file has. -#}
{% macro empty_row_counts() -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as raw_row_count
    where 1 = 0
{%- endmacro %}
