{#- One row per labeling session (grain: labeling_session_id): a member's stretch of continuous
    work, split where more than `labeling_idle_cutoff_seconds` pass without any action. Active
    labeling time is the session's time with an item open; overlapping visits count once.
    Incremental: a member's sessions from the first instant the timeline rewrote (always a
    session start) are rebuilt. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='session_started_at',
    on_schema_change='fail',
) }}
with

timeline as (
    {{ member_rows_to_rebuild(ref('int_labeling_timeline'), 'point_us') }}
),

sessions as (
    select
        labeling_session_id,
        team_id,
        user_id,
        min(point_us) as started_us,
        max(point_us) as ended_us,
        count(*) as instants,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(visits_started) as {{ dbt.type_bigint() }}) as visits_started,
        cast(sum(visits_ended) as {{ dbt.type_bigint() }}) as visits_ended,
        cast(sum(case when piece_is_active then piece_us else 0 end) as {{ dbt.type_bigint() }}) as active_us,
        -- an item left open past the session's last action: in the tool, not at work
        cast(
            sum(case when piece_has_item_open and not piece_is_work then piece_us else 0 end) as {{ dbt.type_bigint() }}
        )
            as idle_item_open_us
    from timeline
    group by labeling_session_id, team_id, user_id
),

final as (
    select
        -- ids
        labeling_session_id,
        team_id,
        user_id,

        -- counts
        instants,
        events,
        visits_started,
        visits_ended,

        -- durations, seconds
        {{ microseconds_to_seconds('ended_us - started_us') }} as session_seconds,
        {{ microseconds_to_seconds('active_us') }} as active_labeling_seconds,
        {{ microseconds_to_seconds('idle_item_open_us') }} as idle_item_open_seconds_after,

        -- timestamps
        {{ timestamp_from_epoch_microseconds('started_us') }} as session_started_at,
        {{ timestamp_from_epoch_microseconds('ended_us') }} as session_ended_at,

        {{ run_loaded_at() }} as loaded_at
    from sessions
)

select * from final
