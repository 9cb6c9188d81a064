{#- One row per login session and member's day it covers (grain: login_session_id,
    activity_date; the day is UTC unless a time zone is configured, see
    macros/time/member_days.sql): a session that crosses midnight gives each day the time logged
    in on it. -#}
with

login_sessions as (
    select
        login_session_id,
        team_id,
        user_id,
        {{ epoch_microseconds('login_at') }} as login_us,
        {{ epoch_microseconds('logout_at') }} as logout_us
    from {{ ref('int_login_sessions') }}
),

calendar_days as (
    select
        epoch_day,
        calendar_date
    from {{ ref('int_calendar_days') }}
),

final as (
    select
        -- ids
        login_sessions.login_session_id,
        login_sessions.team_id,
        login_sessions.user_id,

        -- durations on this day, seconds
        {{ microseconds_to_seconds(
            'least(login_sessions.logout_us, '
            ~ member_day_start_microseconds('login_sessions.user_id', 'calendar_days.epoch_day + 1') ~ ')'
            ~ ' - greatest(login_sessions.login_us, '
            ~ member_day_start_microseconds('login_sessions.user_id', 'calendar_days.epoch_day') ~ ')'
        ) }} as login_seconds,

        -- dates
        calendar_days.calendar_date as activity_date
    from login_sessions
    inner join calendar_days
        on
            calendar_days.epoch_day
            between {{ member_epoch_day('login_sessions.user_id', 'login_sessions.login_us') }}
            -- a session ending at midnight sharp has nothing on the next day
            and {{ member_epoch_day(
                'login_sessions.user_id', 'greatest(login_sessions.login_us, login_sessions.logout_us - 1)'
            ) }}
)

select * from final
