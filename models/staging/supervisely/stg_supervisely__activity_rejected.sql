{#- One row per quarantined raw row: why it cannot be trusted, where it came from, and its text
    with personal data redacted. Not for BI: a to-do list for whoever owns the exports. -#}
with

rows_parsed as (
    select * from {{ ref('stg_supervisely__activity_rows') }}
),

final as (
    select
        source_file,
        source_row_number,
        source_format,
        reject_reason,
        reject_reasons,
        team_id,
        action,
        occurred_at,
        record_text,
        loaded_at
    from rows_parsed
    where row_status = 'rejected'
)

select * from final
