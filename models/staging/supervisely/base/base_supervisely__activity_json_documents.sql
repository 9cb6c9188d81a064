{#- One row per record of the JSON document exports (*.json): a list of records, one API response
    page (`{"total", "perPage", "pagesCount", "entities": [...]}`), a list of such pages (or of
    pages and records mixed), or a single record. A .json file that is not one document but JSON
    Lines (pandas' `to_json(lines=True)`) is read line by line. A file that is neither is one row
    for the whole file (source_row_number 0), which staging quarantines as malformed_json. -#}
{#- A file reader: only on engines that read the export files themselves (see reads_raw_files). -#}
{{ config(enabled=reads_raw_files()) }}
{%- set paths = raw_export_files(
    source('supervisely', 'raw_export_files'), 'json_document', loaded=parsed_rows_relation()
) -%}

{%- if paths | length == 0 %}
{{ empty_raw_records() }}
{%- else %}
with

documents as (
    {{ read_text_documents(paths) }}
),

classified as (
    select
        source_file,
        document_text,
        {{ json_document_kind('document_text') }} as document_kind
    from documents
),

document_records as (
    select
        source_file,
        {{ json_document_records('document_text') }} as records
    from classified
    where document_kind in ('list', 'page', 'record')
),

unnested_records as (
    select
        source_file,
        source_row_number,
        cast(record_json as varchar) as record_text
    from (
        {{ array_rows('document_records', 'records', ['source_file'], 'record_json', 'source_row_number') }}
    ) as document_elements
),

split_lines as (
    select
        source_file,
        {{ split_text('document_text', 'chr(10)') }} as lines
    from classified
    where document_kind = 'lines'
),

line_records as (
    select
        source_file,
        source_row_number,
        record_text
    from (
        {{ array_rows('split_lines', 'lines', ['source_file'], 'record_text', 'source_row_number') }}
    ) as numbered_lines
    where not {{ is_blank('record_text') }}
),

malformed_files as (
    select
        source_file,
        0 as source_row_number,
        document_text as record_text
    from classified
    where document_kind = 'malformed'
),

unioned as (
    select * from unnested_records
    union all
    select * from line_records
    union all
    select * from malformed_files
),

final as (
    select
        source_file,
        'json_document' as source_format,
        cast(source_row_number as bigint) as source_row_number,
        record_text
    from unioned
)

select * from final
{%- endif %}
