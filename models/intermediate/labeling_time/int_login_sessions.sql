{#- One row per login session (grain: login_session_id), from `login`, `login_to_team` and
    `logout`, over each member's events in time order:
    - `login` opens a session (closing an open one, which then had no logout);
      `login_to_team` opens one only when none is open, else it belongs to the open one;
    - `logout` closes the open session. A `logout` with none open closes a session that began
      with the member's first event after the previous one (its login is outside the export),
      unless it is that first event (a repeated logout closes nothing);
    - a session without `logout` ends at the member's last event before the next session opens
      (or their last event of all): the browser was closed, and nothing says when.
    Events after a `logout` that no later `logout` closes belong to no session.

    Incremental: a member with new events is rebuilt from the latest `login` before the earliest
    of them that is alone at its instant, looked for in the `incremental_lookback_hours` before it
    (a session starts there whatever came before, and the session before it keeps its end); with
    none, the member is rebuilt whole. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='login_at',
    on_schema_change='fail',
) }}
with

all_activity as (
    select
        event_id,
        team_id,
        user_id,
        action,
        occurred_at,
        loaded_at
    from {{ ref('stg_supervisely__activity') }}
),

{%- if is_incremental() %}

changed_members as (
    select
        team_id,
        user_id,
        min(occurred_at) as changed_from
    from all_activity
    where {{ is_new_input() }}
    group by team_id, user_id
),

member_activity as (
    select
        all_activity.*,
        changed_members.changed_from
    from all_activity
    inner join changed_members
        on
            all_activity.team_id = changed_members.team_id
            and all_activity.user_id = changed_members.user_id
),

nearby_events as (
    select
        *,
        count(*) over (partition by team_id, user_id, occurred_at) as events_at_instant
    from member_activity
    where
        occurred_at >= {{ dbt.dateadd('hour', -var('incremental_lookback_hours'), 'changed_from') }}
        and occurred_at < changed_from
),

-- null: no such login in the lookback, the member is rebuilt whole
rebuild_points as (
    select
        changed_members.team_id,
        changed_members.user_id,
        max(nearby_events.occurred_at) as rebuild_from
    from changed_members
    left join nearby_events
        on
            changed_members.team_id = nearby_events.team_id
            and changed_members.user_id = nearby_events.user_id
            and nearby_events.action = 'login'
            and nearby_events.events_at_instant = 1
    group by changed_members.team_id, changed_members.user_id
),

activity as (
    select
        member_activity.event_id,
        member_activity.team_id,
        member_activity.user_id,
        member_activity.action,
        member_activity.occurred_at
    from member_activity
    inner join rebuild_points
        on
            member_activity.team_id = rebuild_points.team_id
            and member_activity.user_id = rebuild_points.user_id
    where
        rebuild_points.rebuild_from is null
        or member_activity.occurred_at >= rebuild_points.rebuild_from
),
{%- else %}

activity as (
    select
        event_id,
        team_id,
        user_id,
        action,
        occurred_at
    from all_activity
),
{%- endif %}

-- At one instant the state before it decides the order (see open_close_tie_rank): a logout
-- before a login when a session was open, and a login before login_to_team.
tie_ranked as (
    {{ open_close_tie_rank(
        'activity', ['team_id', 'user_id'], 'occurred_at',
        opens="action in ('login', 'login_to_team')", closes="action = 'logout'",
    ) }}
),

ordered as (
    select
        *,
        row_number() over (
            partition by team_id, user_id
            order by
                occurred_at,
                open_close_rank,
                case action when 'login' then 0 when 'login_to_team' then 1 else 2 end,
                event_id
        ) as event_seq
    from tie_ranked
),

auth_events as (
    select
        event_id,
        action,
        lag(action) over (partition by team_id, user_id order by event_seq) as previous_auth_action
    from ordered
    where action in ('login', 'login_to_team', 'logout')
),

marked as (
    select
        ordered.*,
        coalesce(
            ordered.action = 'login'
            or (
                ordered.action = 'login_to_team'
                and coalesce(auth_events.previous_auth_action, 'logout') = 'logout'
            ),
            false
        ) as opens_session,
        lag(ordered.action) over (
            partition by ordered.team_id, ordered.user_id order by ordered.event_seq
        ) as previous_action
    from ordered
    left join auth_events
        on ordered.event_id = auth_events.event_id
),

-- a new group starts at every opening, at the first event after a logout, and at the first event
grouped as (
    select
        *,
        sum(
            case when opens_session or previous_action = 'logout' or previous_action is null then 1 else 0 end
        ) over (
            partition by team_id, user_id order by event_seq rows between unbounded preceding and current row
        ) as group_number
    from marked
),

groups as (
    select
        team_id,
        user_id,
        group_number,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        max(case when event_seq = first_seq then action end) as first_action,
        -- bool_or, as max() of a boolean is not portable (one row per group has first_seq)
        bool_or(case when event_seq = first_seq then opens_session end) as first_opens,
        max(case when event_seq = last_seq then action end) as last_action,
        max(case when event_seq = first_seq then event_id end) as first_event_id,
        count(*) as events
    from (
        select
            *,
            min(event_seq) over (partition by team_id, user_id, group_number) as first_seq,
            max(event_seq) over (partition by team_id, user_id, group_number) as last_seq
        from grouped
    ) as bounded
    group by team_id, user_id, group_number
),

sessions as (
    select * from groups
    -- a group that does not open with a login is a session only when a logout ends it after some
    -- other event (a repeated logout closes nothing); the rest is activity outside any session
    where first_opens or (last_action = 'logout' and events > 1)
),

final as (
    select
        -- ids
        -- the opening event is the session's own: two sessions can start at one instant
        {{ generate_surrogate_key(['team_id', 'user_id', 'first_event_id']) }} as login_session_id,
        team_id,
        user_id,

        -- how it began and ended
        case when first_opens then first_action else 'first_event' end as started_by,
        case when last_action = 'logout' then 'logout' else 'last_event' end as ended_by,

        -- counts and durations
        events,
        {{ microseconds_to_seconds(
            epoch_microseconds('ended_at') ~ ' - ' ~ epoch_microseconds('started_at')
        ) }} as session_seconds,

        -- timestamps
        started_at as login_at,
        ended_at as logout_at,

        {{ run_loaded_at() }} as loaded_at
    from sessions
)

select * from final
