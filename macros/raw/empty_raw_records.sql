{#- The columns of a raw reader, and no row: what a reader returns when no file has its format. -#}
{% macro empty_raw_records() -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as source_format,
        cast(null as {{ dbt.type_bigint() }}) as source_row_number,
        cast(null as {{ dbt.type_string() }}) as record_text
    where 1 = 0
{%- endmacro %}
