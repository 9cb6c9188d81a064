{#- Every raw record of every export shape, one row each, with its lineage: read from the files on
    DuckDB, from the landing source elsewhere (see reads_raw_files). -#}
{%- if not reads_raw_files() %}
{%- set loaded = parsed_rows_relation() %}
with

landed as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text
    from {{ source('landing', 'activity_records') }}
),

final as (
    select * from landed
    {%- if loaded is not none %}
    -- Only files this run has not parsed yet, as the file readers do.
    where source_file not in (select loaded.source_file from {{ loaded }} as loaded)
    {%- endif %}
)

select * from final
{%- else %}
with

json_lines as (
    select * from {{ ref('base_supervisely__activity_json_lines') }}
),

json_documents as (
    select * from {{ ref('base_supervisely__activity_json_documents') }}
),

csv_rows as (
    select * from {{ ref('base_supervisely__activity_csv') }}
),

parquet_rows as (
    select * from {{ ref('base_supervisely__activity_parquet') }}
),

undecodable_files as (
    select * from {{ ref('base_supervisely__activity_undecodable') }}
),

final as (
    select * from json_lines
    union all
    select * from json_documents
    union all
    select * from csv_rows
    union all
    select * from parquet_rows
    union all
    select * from undecodable_files
)

select * from final
{%- endif %}
