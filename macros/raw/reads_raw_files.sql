{#- Whether this engine reads the export files itself. DuckDB does; on PostgreSQL and Spark,
    `labeling-analytics load` reads them with DuckDB's readers (the `landing` target) and ships the
    records and the file listing into the `landing` source, so every engine stages the same records. -#}
{% macro reads_raw_files() -%}
    {{ return(adapter.dispatch('reads_raw_files', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__reads_raw_files() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__reads_raw_files() -%}
    {{ return(true) }}
{%- endmacro %}
