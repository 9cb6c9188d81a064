{#- One row per distinct event of the activity log: typed, deduplicated, personal data hashed.
    Incremental: rebuilds the events of every legacy_event_key whose rows this run wrote (an
    event and all its deliveries share one), so a kept delivery that changed, a new duplicate or
    an event of the older shape replaced by its full twin all land; loaded_at tells the models
    downstream which events are new. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['legacy_event_key'],
    on_schema_change='fail',
) }}
with

rows_parsed as (
    select * from {{ ref('stg_supervisely__activity_rows') }}
    {%- if is_incremental() %}
    where legacy_event_key in (
        select new_rows.legacy_event_key
        from {{ ref('stg_supervisely__activity_rows') }} as new_rows
        where {{ is_new_input('new_rows') }}
    )
    {%- endif %}
),

events as (
    select * from rows_parsed
    where row_status = 'event'
),

deliveries as (
    select
        duplicate_of_event_id as event_id,
        count(*) as duplicate_count
    from rows_parsed
    where row_status = 'duplicate'
    group by duplicate_of_event_id
),

final as (
    select
        -- ids
        events.event_id,
        events.legacy_event_key,
        events.team_id,
        events.user_id,
        events.project_id,
        events.dataset_id,
        events.image_id,
        events.class_id,
        events.figure_id,
        events.job_id,
        events.tag_id,
        events.meta_target_id,

        -- event
        events.action,
        events.entity_kind,
        events.action_category,

        -- display names at the time of the event's first delivery
        events.user_name,
        events.project_name,
        events.dataset_name,
        events.image_name,
        events.class_name,
        events.job_name,
        events.tag_name,

        -- meta, typed
        events.duration_seconds,
        events.review_status,
        events.figure_source,
        events.frame,
        events.seek_position,
        events.slice_index,
        events.normal_x,
        events.normal_y,
        events.normal_z,
        events.tag_value,
        events.tag_start_frame,
        events.tag_end_frame,
        events.ip_hash,
        events.new_email_hash,
        events.old_email_hash,
        events.meta,

        -- timestamps
        events.occurred_at,

        -- lineage of the delivery kept
        events.record_shape,
        events.source_file,
        events.source_format,
        events.source_row_number,
        {{ run_loaded_at() }} as loaded_at,
        1 + coalesce(deliveries.duplicate_count, 0) as delivery_count
    from events
    left join deliveries
        on events.event_id = deliveries.event_id
)

select * from final
