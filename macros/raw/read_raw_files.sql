{#- Readers of raw export files. Each returns one row per record (or line) with its lineage:
    source_file and source_row_number, 1-based in file order. Row numbers come from a streaming
    row_number() over the scan, which DuckDB emits in file order (preserve_insertion_order), made
    per file by subtracting each file's first number. -#}

{#- Every line of text files (plain or gzipped), blank lines included, as `line_text`. -#}
{% macro read_text_lines(paths) -%}
    {{ return(adapter.dispatch('read_text_lines', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_text_lines(paths) -%}
    select
        filename as source_file,
        line_text,
        global_row_number
        - min(global_row_number) over (partition by filename) + 1 as source_row_number
    from (
        select
            filename,
            line_text,
            row_number() over () as global_row_number
        from read_csv(
            {{ sql_path_list(paths) }},
            columns = {'line_text': 'varchar'},
            header = false,
            auto_detect = false,
            -- One column per line: no quoting, and a delimiter that valid JSON never contains.
            delim = chr(1),
            quote = '',
            escape = '',
            strict_mode = false,
            null_padding = true,
            -- A record is a few hundred bytes; DuckDB sizes its read buffer from this.
            max_line_size = 8388608,
            filename = true,
            hive_partitioning = false
        )
    )
{%- endmacro %}

{#- The pandas CSV export: one JSON object per row, with every value as text, keyed by header. -#}
{% macro read_csv_records(paths) -%}
    {{ return(adapter.dispatch('read_csv_records', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_csv_records(paths) -%}
    select
        filename as source_file,
        record_text,
        global_row_number
        - min(global_row_number) over (partition by filename) + 1 as source_row_number
    from (
        select
            filename,
            row_number() over () as global_row_number,
            -- The row as one object keyed by the header; the reader's own column removed.
            cast(json_merge_patch(to_json(csv_row), '{"filename": null}') as varchar) as record_text
        from {{ read_csv_files(paths) }} as csv_row
    )
{%- endmacro %}

{#- Parquet: each file read on its own, since files may disagree on column types (an id column
    is BIGINT in one file and DOUBLE in another; `meta` a struct or a string). -#}
{% macro read_parquet_records(paths) -%}
    {{ return(adapter.dispatch('read_parquet_records', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_parquet_records(paths) -%}
    {%- for path in paths %}
    select
        '{{ path | replace("'", "''") }}' as source_file,
        cast(
            json_merge_patch(to_json(parquet_row), '{"file_row_number": null}') as varchar
        ) as record_text,
        file_row_number + 1 as source_row_number
    from read_parquet(
        '{{ path | replace("'", "''") }}', file_row_number = true, hive_partitioning = false
    ) as parquet_row
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Whole text files (not compressed), one row each: `document_text`. -#}
{% macro read_text_documents(paths) -%}
    {{ return(adapter.dispatch('read_text_documents', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_text_documents(paths) -%}
    select
        filename as source_file,
        content as document_text
    from read_text({{ sql_path_list(paths) }})
{%- endmacro %}

{#- The pandas CSV export as DuckDB reads it: every value as text under its header name, files
    with different columns (the 13-field shape, `type` for `action`) side by side. -#}
{% macro read_csv_files(paths) -%}
    {{ return(adapter.dispatch('read_csv_files', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_csv_files(paths) -%}
    read_csv(
        {{ sql_path_list(paths) }},
        header = true,
        delim = ',',
        quote = '"',
        escape = '"',
        all_varchar = true,
        union_by_name = true,
        -- pandas writes missing values as '' (or 'None'/'NaN' after an astype(str)).
        nullstr = ['', 'None', 'NaN', 'nan'],
        filename = true,
        hive_partitioning = false
    )
{%- endmacro %}
