{#- One row per data row of the pandas CSV exports (*.csv, optionally .gz), as a JSON object of
    text values keyed by the header; the older 13-column export reads the same way. -#}
{#- A file reader: only on engines that read the export files themselves (see reads_raw_files). -#}
{{ config(enabled=reads_raw_files()) }}
{%- set paths = raw_export_files(
    source('supervisely', 'raw_export_files'), 'csv', loaded=parsed_rows_relation()
) -%}

{%- if paths | length == 0 %}
{{ empty_raw_records() }}
{%- else %}
with

csv_records as (
    {{ read_csv_records(paths) }}
),

final as (
    select
        source_file,
        'csv' as source_format,
        cast(source_row_number as bigint) as source_row_number,
        record_text
    from csv_records
)

select * from final
{%- endif %}
