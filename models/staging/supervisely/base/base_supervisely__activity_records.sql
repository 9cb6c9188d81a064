{#- Every raw record of every export shape, one row each, with its lineage. -#}
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
