{#- The raw records that `labeling-analytics load` ships to PostgreSQL or Spark: built only on the
    landing target, with the readers DuckDB's own staging uses. -#}
{{ config(enabled=target.name == 'landing') }}

with

records as (
    select * from {{ ref('base_supervisely__activity_records') }}
),

final as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text
    from records
)

select * from final
