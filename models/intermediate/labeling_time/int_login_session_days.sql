{#- One row per login session and member's day it covers (grain: login_session_id,
    activity_date; the day is UTC unless a time zone is configured, see
    macros/time/member_days.sql): a session that crosses midnight gives each day the time logged
    in on it. Incremental: a member's sessions from the first one int_login_sessions rewrote are
    rebuilt. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='login_at',
    on_schema_change='fail',
) }}
with

{%- if is_incremental() %}

rebuilt_members as (
    {{ changed_members(ref('int_login_sessions'), 'login_at') }}
),
{%- endif %}

login_sessions as (
    select
        login_sessions.login_session_id,
        login_sessions.team_id,
        login_sessions.user_id,
        login_sessions.login_at,
        {{ epoch_microseconds('login_sessions.login_at') }} as login_us,
        {{ epoch_microseconds('login_sessions.logout_at') }} as logout_us
    from {{ ref('int_login_sessions') }} as login_sessions
    {%- if is_incremental() %}
    inner join rebuilt_members
        on
            login_sessions.team_id = rebuilt_members.team_id
            and login_sessions.user_id = rebuilt_members.user_id
            and login_sessions.login_at >= rebuilt_members.rebuild_from
    {%- endif %}
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
        calendar_days.calendar_date as activity_date,
        login_sessions.login_at,

        {{ run_loaded_at() }} as loaded_at
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
