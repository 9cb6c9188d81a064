{#- Every item visit lies inside the labeling session it belongs to: it ends in it, and it starts
    in it too unless the member was away longer than the idle cutoff with the item open (then it
    started in an earlier session of the same member). Returns the visits that do not. -#}
with

visits as (
    select * from {{ ref('int_item_visits') }}
),

sessions as (
    select * from {{ ref('int_labeling_sessions') }}
),

placed as (
    select
        visits.visit_id,
        visits.idle_seconds,
        visits.visit_started_at,
        visits.visit_ended_at,
        visits.team_id as visit_team_id,
        visits.user_id as visit_user_id,
        ending.team_id as session_team_id,
        ending.user_id as session_user_id,
        ending.session_started_at,
        ending.session_ended_at,
        starting.user_id as starting_session_user_id,
        starting.session_started_at as starting_session_started_at,
        starting.session_ended_at as starting_session_ended_at
    from visits
    left join sessions as ending
        on visits.labeling_session_id = ending.labeling_session_id
    left join sessions as starting
        on visits.started_in_labeling_session_id = starting.labeling_session_id
)

select *
from placed
where
    session_user_id is null
    or session_team_id <> visit_team_id
    or session_user_id <> visit_user_id
    or visit_ended_at not between session_started_at and session_ended_at
    or (idle_seconds = 0 and visit_started_at < session_started_at)
    or (
        idle_seconds > 0
        and (
            starting_session_user_id is distinct from visit_user_id
            or visit_started_at not between starting_session_started_at and starting_session_ended_at
            or starting_session_started_at >= session_started_at
        )
    )
