{#- One row per labeling session and member's day it touches (grain: labeling_session_id,
    activity_date; the day is UTC unless a time zone is configured, see macros/time/member_days.sql):
    a session that crosses midnight gives each day the time spent in it. Every piece of time
    between two consecutive actions is cut at midnight; a piece is at most the idle cutoff long
    inside a session, and at most the longest visit with an item open, so a fixed number of day
    offsets covers it (a local day is at least 23 hours long).
    Incremental: as int_labeling_sessions, the days of a member's sessions that start from the
    first instant the timeline rewrote are rebuilt. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='session_started_at',
    on_schema_change='fail',
) }}
{%- set longest_piece_seconds = [var('max_visit_duration_seconds'), var('labeling_idle_cutoff_seconds')] | max -%}
{%- set day_offsets = (longest_piece_seconds // 86400) + 2 -%}

with

timeline as (
    {{ member_rows_to_rebuild(ref('int_labeling_timeline'), 'point_us') }}
),

day_offsets as (
    {%- for offset in range(day_offsets) %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select {{ offset }} as day_offset
    {%- endfor %}
),

pieces as (
    select
        labeling_session_id,
        team_id,
        user_id,
        session_start_us,
        events,
        visits_started,
        visits_ended,
        point_us,
        -- only time that counts is spread over days: idle time with no item open is nobody's
        case when piece_is_work or piece_has_item_open then coalesce(piece_us, 0) else 0 end as piece_us,
        piece_is_work,
        piece_has_item_open,
        piece_is_active,
        {{ member_epoch_day('user_id', 'point_us') }} as first_day
    from timeline
),

-- the part of each piece that falls in each day; the instant itself counts on its own day
piece_days as (
    select
        pieces.labeling_session_id,
        pieces.team_id,
        pieces.user_id,
        pieces.session_start_us,
        pieces.first_day + day_offsets.day_offset as epoch_day,
        case when day_offsets.day_offset = 0 then pieces.events else 0 end as events,
        case when day_offsets.day_offset = 0 then pieces.visits_started else 0 end as visits_started,
        case when day_offsets.day_offset = 0 then pieces.visits_ended else 0 end as visits_ended,
        pieces.piece_is_work,
        pieces.piece_has_item_open,
        pieces.piece_is_active,
        greatest(
            least(
                pieces.point_us + pieces.piece_us,
                {{ member_day_start_microseconds(
                    'pieces.user_id', 'pieces.first_day + day_offsets.day_offset + 1'
                ) }}
            )
            - greatest(
                pieces.point_us,
                {{ member_day_start_microseconds('pieces.user_id', 'pieces.first_day + day_offsets.day_offset') }}
            ),
            0
        ) as part_us
    from pieces
    inner join day_offsets
        on
            day_offsets.day_offset = 0
            or {{ member_day_start_microseconds('pieces.user_id', 'pieces.first_day + day_offsets.day_offset') }}
            < pieces.point_us + pieces.piece_us
),

session_days as (
    select
        labeling_session_id,
        team_id,
        user_id,
        session_start_us,
        epoch_day,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(visits_started) as {{ dbt.type_bigint() }}) as visits_started,
        cast(sum(visits_ended) as {{ dbt.type_bigint() }}) as visits_ended,
        cast(sum(case when piece_is_work then part_us else 0 end) as {{ dbt.type_bigint() }}) as session_us,
        cast(sum(case when piece_is_active then part_us else 0 end) as {{ dbt.type_bigint() }}) as active_us,
        cast(
            sum(case when piece_has_item_open and not piece_is_work then part_us else 0 end) as {{ dbt.type_bigint() }}
        )
            as idle_item_open_us
    from piece_days
    group by labeling_session_id, team_id, user_id, session_start_us, epoch_day
),

final as (
    select
        -- ids
        labeling_session_id,
        team_id,
        user_id,

        -- counts on this day
        events,
        visits_started,
        visits_ended,

        -- durations on this day, seconds
        {{ microseconds_to_seconds('session_us') }} as session_seconds,
        {{ microseconds_to_seconds('active_us') }} as active_labeling_seconds,
        {{ microseconds_to_seconds('idle_item_open_us') }} as idle_item_open_seconds,
        {{ microseconds_to_seconds('active_us + idle_item_open_us') }} as time_in_tool_seconds,

        -- dates
        {{ date_from_epoch_day('epoch_day') }} as activity_date,
        {{ timestamp_from_epoch_microseconds('session_start_us') }} as session_started_at,

        {{ run_loaded_at() }} as loaded_at
    from session_days
)

select * from final
