{#- A session's days add up to the session: its events, visits and seconds, split at midnight,
    lose and double nothing. Returns the sessions whose days do not add up (to the microsecond). -#}
with

sessions as (
    select * from {{ ref('int_labeling_sessions') }}
),

days as (
    select
        labeling_session_id,
        sum(events) as events,
        sum(visits_started) as visits_started,
        sum(visits_ended) as visits_ended,
        sum(session_seconds) as session_seconds,
        sum(active_labeling_seconds) as active_labeling_seconds,
        sum(idle_item_open_seconds) as idle_item_open_seconds
    from {{ ref('int_labeling_session_days') }}
    group by labeling_session_id
)

select
    sessions.labeling_session_id,
    sessions.events,
    days.events as events_over_days,
    sessions.session_seconds,
    days.session_seconds as session_seconds_over_days,
    sessions.active_labeling_seconds,
    days.active_labeling_seconds as active_labeling_seconds_over_days
from sessions
left join days
    on sessions.labeling_session_id = days.labeling_session_id
where
    days.labeling_session_id is null
    or sessions.events <> days.events
    or sessions.visits_started <> days.visits_started
    or sessions.visits_ended <> days.visits_ended
    or abs(sessions.session_seconds - days.session_seconds) > 0.000001
    or abs(sessions.active_labeling_seconds - days.active_labeling_seconds) > 0.000001
    or abs(sessions.idle_item_open_seconds_after - days.idle_item_open_seconds) > 0.000001
