{#- One row per row of the Parquet exports (*.parquet), as a JSON object keyed by column name. -#}
{#- A file reader: only on engines that read the export files themselves (see reads_raw_files). -#}
{{ config(enabled=reads_raw_files()) }}
{%- set paths = raw_export_files(
    source('supervisely', 'raw_export_files'), 'parquet', loaded=parsed_rows_relation()
) -%}

{%- if paths | length == 0 %}
{{ empty_raw_records() }}
{%- else %}
with

parquet_records as (
    {{ read_parquet_records(paths) }}
),

final as (
    select
        source_file,
        'parquet' as source_format,
        cast(source_row_number as bigint) as source_row_number,
        record_text
    from parquet_records
)

select * from final
{%- endif %}
