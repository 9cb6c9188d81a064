{#- One row per text export that is not valid UTF-8 (source_row_number 0, no text): staging
    quarantines it whole as invalid_encoding. Re-save the file as UTF-8 to have it read. -#}
{#- A file reader: only on engines that read the export files themselves (see reads_raw_files). -#}
{{ config(enabled=reads_raw_files()) }}
{%- set paths = raw_export_files(
    source('supervisely', 'raw_export_files'), 'undecodable', loaded=parsed_rows_relation()
) -%}

{%- if paths | length == 0 %}
{{ empty_raw_records() }}
{%- else %}
with

files as (
    {{ sql_path_rows(paths) }}
),

final as (
    select
        source_file,
        {{ raw_file_format('source_file') }} as source_format,
        cast(0 as bigint) as source_row_number,
        cast(null as varchar) as record_text
    from files
)

select * from final
{%- endif %}
