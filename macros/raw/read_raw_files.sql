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
        from {{ scan_text_lines(sql_path_list(paths)) }}
    )
{%- endmacro %}

{#- The table function that reads files line by line: column `line_text` (null for a blank
    line), and `filename`. -#}
{% macro scan_text_lines(paths_literal) -%}
    {{ return(adapter.dispatch('scan_text_lines', 'labeling_analytics')(paths_literal)) }}
{%- endmacro %}

{% macro duckdb__scan_text_lines(paths_literal) -%}
    read_csv(
        {{ paths_literal }},
        columns = {'line_text': 'varchar'},
        header = false,
        auto_detect = false,
        -- One column per line: no quoting, and a delimiter that valid JSON never contains.
        delim = chr(1),
        quote = '',
        escape = '',
        strict_mode = false,
        null_padding = true,
        -- A record is a few hundred bytes, and DuckDB sizes its read buffer from this.
        max_line_size = 8388608,
        filename = true,
        hive_partitioning = false
    )
{%- endmacro %}

{#- The pandas CSV export: one JSON object per row, with every value as text, keyed by the
    file's own header (so the 13-column shape, or `type` for `action`, shows in the keys). Each
    file is read on its own, with the columns taken from its header line and no dialect sniffing:
    a sniffer can take a data row for the header or skip lines. A row with too few fields is
    padded with nulls and one with an unclosed quote is read as text, so both reach staging's
    checks (and its quarantine) instead of failing the build with the row printed in the log. -#}
{% macro read_csv_records(paths) -%}
    {{ return(adapter.dispatch('read_csv_records', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_csv_records(paths) -%}
    {%- set branches = [] -%}
    {%- for path in paths -%}
        {%- set layout = raw_csv_layout(path) -%}
        {%- if layout -%}
            {%- set branch -%}
    select
        '{{ path | replace("'", "''") }}' as source_file,
        record_text,
        row_number() over () as source_row_number
    from (
        select cast(to_json(csv_row) as varchar) as record_text
        from {{ read_csv_file(path, layout) }} as csv_row
    )
    -- A blank line holds no record (stg_supervisely__export_files counts rows the same way).
    where cast(json_merge_patch('{}', record_text) as varchar) <> '{}'
            {%- endset -%}
            {%- do branches.append(branch) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if branches | length == 0 %}
    select
        cast(null as varchar) as source_file,
        cast(null as varchar) as record_text,
        cast(null as bigint) as source_row_number
    where 1 = 0
    {%- else %}
    {{ branches | join('\n    union all\n') }}
    {%- endif %}
{%- endmacro %}

{#- How to read a CSV file: its column names, from its first non-blank line (a UTF-8 byte-order
    mark and quotes around names removed; an empty name becomes column_<n>, a repeated one gets a
    _<n> suffix, as pandas' index column and hand-edited headers need), and how many lines come
    before that header. None for a file with no header line. Read when the model runs. -#}
{% macro raw_csv_layout(path) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {#- Each of the first lines split into fields as CSV does (quotes, "" inside quotes), joined
        with the unit separator, chr(31), which no header holds. -#}
    {%- set query -%}
        select
            {{ is_blank('line_text') }} as is_blank,
            array_to_string(
                list_transform(
                    regexp_extract_all(
                        ',' || replace(replace(coalesce(line_text, ''), chr(65279), ''), chr(13), ''),
                        ',("(?:[^"]|"")*"|[^,]*)',
                        1
                    ),
                    lambda field: case
                        when starts_with(trim(field), '"') then replace(trim(field)[2:-2], '""', '"')
                        else trim(field)
                    end
                ),
                chr(31)
            ) as fields
        from {{ scan_text_lines("'" ~ path | replace("'", "''") ~ "'") }}
        limit 100
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {%- for row in result.rows -%}
        {%- if not row[0] -%}
            {%- set names = [] -%}
            {%- set taken = [] -%}
            {%- for raw_name in row[1].split('\x1f') -%}
                {%- set name = raw_name or 'column_' ~ loop.index -%}
                {#- DuckDB column names ignore case: so does the check for repeats. -#}
                {%- set candidate = namespace(value=name, n=2) -%}
                {%- for _ in range(1000) if candidate.value | lower in taken -%}
                    {%- set candidate.value = name ~ '_' ~ candidate.n -%}
                    {%- set candidate.n = candidate.n + 1 -%}
                {%- endfor -%}
                {%- do names.append(candidate.value) -%}
                {%- do taken.append(candidate.value | lower) -%}
            {%- endfor -%}
            {{ return({'columns': names, 'skip': loop.index0}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#- One CSV file as DuckDB reads it: every column as text under its header name. -#}
{% macro read_csv_file(path, layout) -%}
    {{ return(adapter.dispatch('read_csv_file', 'labeling_analytics')(path, layout)) }}
{%- endmacro %}

{% macro duckdb__read_csv_file(path, layout) -%}
    read_csv(
        '{{ path | replace("'", "''") }}',
        columns = {
            {%- for name in layout.columns %}
            '{{ name | replace("'", "''") }}': 'varchar'{% if not loop.last %},{% endif %}
            {%- endfor %}
        },
        header = true,
        auto_detect = false,
        skip = {{ layout.skip }},
        comment = '',
        delim = ',',
        quote = '"',
        escape = '"',
        strict_mode = false,
        null_padding = true,
        -- pandas writes missing values as '' (or 'None'/'NaN' after an astype(str)).
        nullstr = ['', 'None', 'NaN', 'nan'],
        hive_partitioning = false
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
        cast(to_json(parquet_row) as varchar) as record_text,
        row_number() over () as source_row_number
    from read_parquet('{{ path | replace("'", "''") }}', hive_partitioning = false) as parquet_row
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
        -- Windows tools start files with a byte-order mark, which is not JSON.
        case when starts_with(content, chr(65279)) then content[2:] else content end as document_text
    from read_text({{ sql_path_list(paths) }})
{%- endmacro %}


{#- Engines that do not read export files (see reads_raw_files): the readers are disabled there,
    but dbt still renders them when it parses the project; reaching one when running is a bug. -#}
{% macro reader_unavailable(reader_name) -%}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error(reader_name ~ ": " ~ adapter.type() ~ " does not read export files") }}
    {%- endif -%}
{%- endmacro %}

{% macro default__read_text_lines(paths) -%}
    {{ reader_unavailable('read_text_lines') }}
{%- endmacro %}

{% macro default__read_csv_records(paths) -%}
    {{ reader_unavailable('read_csv_records') }}
{%- endmacro %}

{% macro default__read_parquet_records(paths) -%}
    {{ reader_unavailable('read_parquet_records') }}
{%- endmacro %}

{% macro default__read_text_documents(paths) -%}
    {{ reader_unavailable('read_text_documents') }}
{%- endmacro %}
{% macro default__scan_text_lines(paths_literal) -%}
    {{ reader_unavailable('scan_text_lines') }}
{%- endmacro %}

{% macro default__read_csv_file(path, layout) -%}
    {{ reader_unavailable('read_csv_file') }}
{%- endmacro %}

{#- Size and modification time of files, one row each: source_file, size_bytes, modified_at. -#}
{% macro read_file_stats(paths) -%}
    {{ return(adapter.dispatch('read_file_stats', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_file_stats(paths) -%}
    select
        filename as source_file,
        size as size_bytes,
        cast(last_modified as timestamp) as modified_at
    from read_blob({{ sql_path_list(paths) }})
{%- endmacro %}

{% macro default__read_file_stats(paths) -%}
    {{ reader_unavailable('read_file_stats') }}
{%- endmacro %}

{#- Rows of Parquet files from their metadata, one row each: source_file, raw_row_count. -#}
{% macro read_parquet_row_counts(paths) -%}
    {{ return(adapter.dispatch('read_parquet_row_counts', 'labeling_analytics')(paths)) }}
{%- endmacro %}

{% macro duckdb__read_parquet_row_counts(paths) -%}
    select
        file_name as source_file,
        num_rows as raw_row_count
    from parquet_file_metadata({{ sql_path_list(paths) }})
{%- endmacro %}

{% macro default__read_parquet_row_counts(paths) -%}
    {{ reader_unavailable('read_parquet_row_counts') }}
{%- endmacro %}
