{#- A login session's days add up to the session: nothing lost or doubled at midnight. Returns the
    sessions whose days do not (to the microsecond). -#}
with

sessions as (
    select * from {{ ref('int_login_sessions') }}
),

days as (
    select
        login_session_id,
        sum(login_seconds) as login_seconds
    from {{ ref('int_login_session_days') }}
    group by login_session_id
)

select
    sessions.login_session_id,
    sessions.session_seconds,
    days.login_seconds as login_seconds_over_days
from sessions
left join days
    on sessions.login_session_id = days.login_session_id
where
    days.login_session_id is null
    or abs(sessions.session_seconds - days.login_seconds) > 0.000001
