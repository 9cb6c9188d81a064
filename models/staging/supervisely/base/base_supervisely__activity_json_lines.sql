{#- One row per non-blank line of the JSON Lines exports (*.jsonl, *.ndjson, optionally .gz). -#}
{#- A file reader: only on engines that read the export files themselves (see reads_raw_files). -#}
{{ config(enabled=reads_raw_files()) }}
{%- set paths = raw_export_files(
    source('supervisely', 'raw_export_files'), 'json_lines', loaded=parsed_rows_relation()
) -%}

{%- if paths | length == 0 %}
{{ empty_raw_records() }}
{%- else %}
with

lines as (
    {{ read_text_lines(paths) }}
),

final as (
    select
        source_file,
        'json_lines' as source_format,
        source_row_number,
        line_text as record_text
    from lines
    -- A blank line holds no record (stg_supervisely__export_files counts lines the same way).
    where not {{ is_blank('line_text') }}
)

select * from final
{%- endif %}
