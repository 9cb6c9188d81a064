{#- Makes the `landing` source readable before a run (an on-run-start hook). Spark: the loader
    writes Parquet files under LABELING_ANALYTICS_SPARK_LANDING_DIR (`<dir>/export_files/`,
    `<dir>/activity_records/`); each becomes an external table over its folder. Dropped and created
    again on every run, so the table lists the files present now and takes their schema (dropping
    an external table leaves its files alone). Other engines: nothing to do (DuckDB reads the
    files, the PostgreSQL loader writes tables). -#}
{% macro register_landing_source() -%}
    {{ return(adapter.dispatch('register_landing_source', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__register_landing_source() -%}

{%- endmacro %}

{% macro spark__register_landing_source() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set landing_dir = env_var('LABELING_ANALYTICS_SPARK_LANDING_DIR', 'warehouse/spark-landing').rstrip('/') -%}
    {%- if "'" in landing_dir -%}
        {{ exceptions.raise_compiler_error("LABELING_ANALYTICS_SPARK_LANDING_DIR must not contain a quote: " ~ landing_dir) }}
    {%- endif -%}
    {%- set tables = graph.sources.values() | selectattr('source_name', 'equalto', 'landing') | list -%}
    {%- if tables | length > 0 -%}
        {%- do run_query('create schema if not exists ' ~ tables[0].schema) -%}
    {%- endif -%}
    {%- for table in tables -%}
        {%- set relation = table.schema ~ '.' ~ table.identifier -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {#- A relative folder is resolved against where dbt runs, as the profile's paths are. -#}
        {%- do run_query(
            'create table ' ~ relation ~ " using parquet location '" ~ landing_dir ~ '/' ~ table.name ~ "'"
        ) -%}
    {%- endfor -%}

{%- endmacro %}
