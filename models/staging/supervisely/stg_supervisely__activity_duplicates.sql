{#- One row per raw row that delivered an event already kept in stg_supervisely__activity: the
    same record in overlapping pages, files or shapes, or the older 13-field shape of a full one. -#}
with

rows_parsed as (
    select * from {{ ref('stg_supervisely__activity_rows') }}
),

final as (
    select
        source_file,
        source_row_number,
        source_format,
        record_shape,
        duplicate_of_event_id,
        team_id,
        action,
        occurred_at,
        loaded_at
    from rows_parsed
    where row_status = 'duplicate'
)

select * from final
