{#- One row per file under the raw folder: its format, team, size and modification time, and how
    many raw rows it holds, counted apart from the readers that stage it (a line count, a JSON
    array length, Parquet metadata), so that tests can prove no row is lost on the way.
    Incremental: a run adds the files that are new under the raw folder (a loaded file is never
    read again, and one changed since fails the run). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['source_file'],
    on_schema_change='fail',
) }}
{%- if reads_raw_files() %}
{%- set files_relation = source('supervisely', 'raw_export_files') -%}
{%- set loaded = this if is_incremental() else none -%}
{%- if loaded is not none -%}
    {%- do assert_loaded_raw_files_unchanged(loaded, files_relation) -%}
{%- endif -%}
{%- set undecodable_paths = raw_export_files(files_relation, 'undecodable', loaded=loaded) -%}
{%- set line_paths = raw_export_files(files_relation, 'json_lines', undecodable_paths, loaded) -%}
{%- set document_paths = raw_export_files(files_relation, 'json_document', undecodable_paths, loaded) -%}
{%- set csv_paths = raw_export_files(files_relation, 'csv', undecodable_paths, loaded) -%}
{%- set parquet_paths = raw_export_files(files_relation, 'parquet', loaded=loaded) -%}
{%- set all_paths = line_paths + document_paths + csv_paths + parquet_paths + undecodable_paths -%}
{%- if execute and loaded is none and all_paths | length == 0 -%}
    {%- do exceptions.warn(
        "No export file under the raw folder '" ~ raw_root() ~ "' (a relative path starts where dbt"
        ~ " runs): the warehouse will be empty. Check LABELING_ANALYTICS_RAW_DIR or --vars raw_root."
    ) -%}
{%- endif -%}
{%- endif %}

with

{% if reads_raw_files() -%}
files as (
    select
        file as source_file,
        {{ raw_file_format('file') }} as source_format
    from {{ files_relation }}
    {%- if is_incremental() %}
    where file not in (select source_file from {{ this }})
    {%- endif %}
),

file_stats as (
    {%- if all_paths | length > 0 %}
    {{ read_file_stats(all_paths) }}
    {%- else %}
    select
        cast(null as varchar) as source_file,
        cast(null as bigint) as size_bytes,
        cast(null as timestamp) as modified_at
    where 1 = 0
    {%- endif %}
),

line_counts as (
    {%- if line_paths | length > 0 %}
    select
        source_file,
        count(*) filter (where not {{ is_blank('line_text') }}) as raw_row_count
    from ({{ read_text_lines(line_paths) }})
    group by source_file
    {%- else %}
    {{ empty_row_counts() }}
    {%- endif %}
),

document_counts as (
    {%- if document_paths | length > 0 %}
    select
        source_file,
        {{ json_document_row_count('document_text') }} as raw_row_count
    from ({{ read_text_documents(document_paths) }})
    {%- else %}
    {{ empty_row_counts() }}
    {%- endif %}
),

csv_counts as (
    {%- if csv_paths | length > 0 %}
    select
        source_file,
        count(*) as raw_row_count
    from ({{ read_csv_records(csv_paths) }})
    group by source_file
    {%- else %}
    {{ empty_row_counts() }}
    {%- endif %}
),

parquet_counts as (
    {%- if parquet_paths | length > 0 %}
    {{ read_parquet_row_counts(parquet_paths) }}
    {%- else %}
    {{ empty_row_counts() }}
    {%- endif %}
),

-- A file that is not UTF-8 is one quarantined row.
undecodable_counts as (
    {%- if undecodable_paths | length > 0 %}
    select
        source_file,
        cast(1 as bigint) as raw_row_count
    from ({{ sql_path_rows(undecodable_paths) }}) as undecodable_files
    {%- else %}
    {{ empty_row_counts() }}
    {%- endif %}
),

row_counts as (
    select * from line_counts
    union all
    select * from undecodable_counts
    union all
    select * from document_counts
    union all
    select * from csv_counts
    union all
    select * from parquet_counts
),

-- Files that hold no row (an empty export) count 0.
file_facts as (
    select
        files.source_file,
        files.source_format,
        file_stats.size_bytes,
        file_stats.modified_at,
        case
            when files.source_format in ('ignored', 'unsupported') then null
            else cast(coalesce(row_counts.raw_row_count, 0) as bigint)
        end as raw_row_count
    from files
    left join file_stats
        on files.source_file = file_stats.source_file
    left join row_counts
        on files.source_file = row_counts.source_file
),
{%- else -%}
-- Listed and counted by `labeling-analytics load`, with the same readers.
file_facts as (
    select
        source_file,
        source_format,
        cast(size_bytes as {{ dbt.type_bigint() }}) as size_bytes,
        -- Parquet written by DuckDB holds a timestamp without zone: Spark's is another type
        cast(modified_at as {{ dbt.type_timestamp() }}) as modified_at,
        cast(raw_row_count as {{ dbt.type_bigint() }}) as raw_row_count
    from {{ source('landing', 'export_files') }}
    {%- if is_incremental() %}
    where source_file not in (select loaded.source_file from {{ this }} as loaded)
    {%- endif %}
),
{%- endif %}

final as (
    select
        source_file,
        source_format,
        {{ team_id_from_path(
            'source_file',
            var('default_team_id', env_var('LABELING_ANALYTICS_DEFAULT_TEAM_ID', ''))
        ) }} as team_id,
        size_bytes,
        modified_at,
        raw_row_count,
        {{ run_loaded_at() }} as loaded_at
    from file_facts
)

select * from final
