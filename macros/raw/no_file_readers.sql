{#- Engines that do not read export files (reads_raw_files() is false: PostgreSQL, Spark) stage
    the `landing` source instead, and their readers are disabled. dbt still resolves every
    dispatched macro for the engine when it parses, so each reader has this default, which only
    says why it cannot run. -#}
{% macro raw_reader_unavailable(reader) -%}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error(
            reader ~ " reads export files, which " ~ target.type ~ " does not: load them into the landing"
            ~ " source with `labeling-analytics load` (see reads_raw_files)."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__read_text_lines(paths) -%}{{ raw_reader_unavailable('read_text_lines') }}{%- endmacro %}

{% macro default__scan_text_lines(paths_literal) -%}{{ raw_reader_unavailable('scan_text_lines') }}{%- endmacro %}

{% macro default__read_csv_records(paths) -%}{{ raw_reader_unavailable('read_csv_records') }}{%- endmacro %}

{% macro default__read_csv_file(path, layout) -%}{{ raw_reader_unavailable('read_csv_file') }}{%- endmacro %}

{% macro default__read_parquet_records(paths) -%}{{ raw_reader_unavailable('read_parquet_records') }}{%- endmacro %}

{% macro default__read_text_documents(paths) -%}{{ raw_reader_unavailable('read_text_documents') }}{%- endmacro %}

{% macro default__json_document_kind(text_expression) -%}
    {{ raw_reader_unavailable('json_document_kind') }}
{%- endmacro %}

{% macro default__json_document_records(text_expression) -%}
    {{ raw_reader_unavailable('json_document_records') }}
{%- endmacro %}
