{#- One row per instant at which a member acted (grain: team_id, user_id, point_at), with the piece
    of time from it to their next action: the skeleton of labeling time and sessions.

    A member's actions are all their events plus the start of each item visit (an
    `annotation_duration` event marks the visit's end and carries its length). Between two
    consecutive actions nothing starts or ends, so each piece is wholly inside or outside an open
    item, and wholly work (at most the cutoff long) or idle.

    Incremental: windows run over a member's history, so a member with new events is rebuilt from
    a restart point on: the latest session start before the earliest new instant, found in the
    `incremental_lookback_hours` before it, that no item visit spans (then every running value
    restarts there as it is, and the instant before it keeps its next action). With none in the
    lookback the member is rebuilt whole. Members without new events are not touched. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='point_us',
    on_schema_change='fail',
) }}
{%- set cutoff_us = var('labeling_idle_cutoff_seconds') * 1000000 -%}
{%- set lookback_us = var('incremental_lookback_hours') * 3600 * 1000000 -%}

with

all_activity as (
    select
        team_id,
        user_id,
        action,
        occurred_at,
        duration_seconds,
        loaded_at
    from {{ ref('stg_supervisely__activity') }}
),

{%- if is_incremental() %}

-- Members with new events, and the earliest instant those add (a visit starts before its event).
changed_members as (
    select
        team_id,
        user_id,
        min(
            case
                when action = 'annotation_duration'
                    then {{ visit_started_at_microseconds('occurred_at', 'duration_seconds') }}
                else {{ epoch_microseconds('occurred_at') }}
            end
        ) as changed_from_us
    from all_activity
    where {{ is_new_input() }}
    group by team_id, user_id
),

member_activity as (
    select
        all_activity.*,
        changed_members.changed_from_us,
        {{ epoch_microseconds('all_activity.occurred_at') }} as occurred_us
    from all_activity
    inner join changed_members
        on
            all_activity.team_id = changed_members.team_id
            and all_activity.user_id = changed_members.user_id
),

nearby_visits as (
    select
        team_id,
        user_id,
        changed_from_us,
        {{ visit_started_at_microseconds('occurred_at', 'duration_seconds') }} as started_us,
        occurred_us as ended_us
    from member_activity
    where
        action = 'annotation_duration'
        and occurred_us >= changed_from_us - {{ lookback_us }}
),

-- The member's instants in the lookback window, each with the one before it.
nearby_points as (
    select
        team_id,
        user_id,
        changed_from_us,
        point_us,
        lag(point_us) over (partition by team_id, user_id order by point_us) as previous_point_us
    from (
        select distinct
            team_id,
            user_id,
            changed_from_us,
            occurred_us as point_us
        from member_activity
        union
        select
            team_id,
            user_id,
            changed_from_us,
            started_us as point_us
        from nearby_visits
    ) as points
    where point_us between changed_from_us - {{ lookback_us }} and changed_from_us
),

-- An earlier session start that no visit spans: nothing before it changes, and nothing is open
-- across it. Strictly before the change, so that the instant before it keeps its next action.
restart_points as (
    select
        nearby_points.team_id,
        nearby_points.user_id,
        nearby_points.point_us
    from nearby_points
    where
        nearby_points.point_us < nearby_points.changed_from_us
        and nearby_points.point_us - nearby_points.previous_point_us > {{ cutoff_us }}
        and not exists (
            select 1
            from nearby_visits
            where
                nearby_visits.team_id = nearby_points.team_id
                and nearby_visits.user_id = nearby_points.user_id
                and nearby_visits.started_us < nearby_points.point_us
                and nearby_visits.ended_us >= nearby_points.point_us
        )
),

-- null: no restart point in the lookback, the member is rebuilt whole
rebuild_points as (
    select
        changed_members.team_id,
        changed_members.user_id,
        max(restart_points.point_us) as rebuild_from_us
    from changed_members
    left join restart_points
        on
            changed_members.team_id = restart_points.team_id
            and changed_members.user_id = restart_points.user_id
    group by changed_members.team_id, changed_members.user_id
),

activity as (
    select member_activity.*
    from member_activity
    inner join rebuild_points
        on
            member_activity.team_id = rebuild_points.team_id
            and member_activity.user_id = rebuild_points.user_id
    where
        rebuild_points.rebuild_from_us is null
        or member_activity.occurred_us >= rebuild_points.rebuild_from_us
),

-- The running idle time with an item open carries on from the instants kept.
idle_offsets as (
    select
        held.team_id,
        held.user_id,
        {{ arg_max(
            'held.idle_item_open_us_before'
            ~ ' + case when held.piece_has_item_open and not held.piece_is_work then held.piece_us else 0 end',
            'held.point_us'
        ) }} as idle_item_open_us
    from {{ this }} as held
    inner join rebuild_points
        on
            held.team_id = rebuild_points.team_id
            and held.user_id = rebuild_points.user_id
    where held.point_us < rebuild_points.rebuild_from_us
    group by held.team_id, held.user_id
),
{%- else %}

activity as (
    select * from all_activity
),
{%- endif %}

action_points as (
    select
        team_id,
        user_id,
        {{ epoch_microseconds('occurred_at') }} as point_us,
        1 as events,
        0 as visits_started,
        case when action = 'annotation_duration' then 1 else 0 end as visits_ended
    from activity

    union all

    select
        team_id,
        user_id,
        {{ visit_started_at_microseconds('occurred_at', 'duration_seconds') }} as point_us,
        0 as events,
        1 as visits_started,
        0 as visits_ended
    from activity
    where action = 'annotation_duration'
),

-- Several actions can share an instant (a visit ends as the next one starts): one row each.
instants as (
    select
        team_id,
        user_id,
        point_us,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(visits_started) as {{ dbt.type_bigint() }}) as visits_started,
        cast(sum(visits_ended) as {{ dbt.type_bigint() }}) as visits_ended
    from action_points
    group by team_id, user_id, point_us
),

neighbours as (
    select
        *,
        lag(point_us) over (partition by team_id, user_id order by point_us) as previous_point_us,
        lead(point_us) over (partition by team_id, user_id order by point_us) as next_point_us,
        cast(
            sum(visits_started - visits_ended)
                over (
                    partition by team_id, user_id order by point_us rows between unbounded preceding and current row
                )
            as {{ dbt.type_bigint() }}
        ) as open_visits
    from instants
),

pieces as (
    select
        *,
        coalesce(point_us - previous_point_us > {{ cutoff_us }}, true) as starts_session,
        next_point_us - point_us as piece_us,
        coalesce(next_point_us - point_us <= {{ cutoff_us }}, false) as piece_is_work,
        open_visits > 0 as piece_has_item_open
    from neighbours
),

sessionized as (
    select
        *,
        -- the latest session start so far is the start of this instant's session
        max(case when starts_session then point_us end) over (
            partition by team_id, user_id order by point_us rows between unbounded preceding and current row
        ) as session_start_us,
        -- idle time with an item open before this instant: a visit's idle time is the
        -- difference between its end and its start, without a range join
        cast(
            coalesce(sum(case when piece_has_item_open and not piece_is_work then piece_us else 0 end) over (
                partition by team_id, user_id order by point_us rows between unbounded preceding and 1 preceding
            ), 0)
            as {{ dbt.type_bigint() }}
        ) as idle_item_open_us_before
    from pieces
),

{%- if is_incremental() %}

continued as (
    select
        sessionized.team_id,
        sessionized.user_id,
        sessionized.point_us,
        sessionized.events,
        sessionized.visits_started,
        sessionized.visits_ended,
        sessionized.previous_point_us,
        sessionized.next_point_us,
        sessionized.open_visits,
        sessionized.starts_session,
        sessionized.piece_us,
        sessionized.piece_is_work,
        sessionized.piece_has_item_open,
        sessionized.session_start_us,
        sessionized.idle_item_open_us_before + coalesce(idle_offsets.idle_item_open_us, 0)
        as idle_item_open_us_before
    from sessionized
    left join idle_offsets
        on
            sessionized.team_id = idle_offsets.team_id
            and sessionized.user_id = idle_offsets.user_id
),
{%- else %}

continued as (
    select * from sessionized
),
{%- endif %}

final as (
    select
        -- ids
        {{ generate_surrogate_key(['team_id', 'user_id', 'session_start_us']) }} as labeling_session_id,
        team_id,
        user_id,

        -- actions at this instant
        events,
        visits_started,
        visits_ended,
        open_visits,

        -- the piece from this instant to the member's next action (null after their last)
        piece_us,
        piece_is_work,
        piece_has_item_open,
        piece_is_work and piece_has_item_open as piece_is_active,
        idle_item_open_us_before,

        -- flags
        starts_session,

        -- timestamps
        point_us,
        session_start_us,
        {{ timestamp_from_epoch_microseconds('point_us') }} as point_at,

        {{ run_loaded_at() }} as loaded_at
    from continued
)

select * from final
