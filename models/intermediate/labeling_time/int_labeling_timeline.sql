{#- One row per instant at which a member acted (grain: team_id, user_id, point_at), with the piece
    of time from it to their next action: the skeleton of labeling time and sessions.

    A member's actions are all their events plus the start of each item visit (an
    `annotation_duration` event marks the visit's end and carries its length). Between two
    consecutive actions nothing starts or ends, so each piece is wholly inside or outside an open
    item, and wholly work (at most the cutoff long) or idle. Windows run over a member's whole
    history; an incremental run must hand them every instant of the sessions it rebuilds. -#}
{%- set cutoff_us = var('labeling_idle_cutoff_seconds') * 1000000 -%}

with

activity as (
    select
        team_id,
        user_id,
        action,
        occurred_at,
        duration_seconds
    from {{ ref('stg_supervisely__activity') }}
),

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
        {{ timestamp_from_epoch_microseconds('point_us') }} as point_at
    from sessionized
)

select * from final
