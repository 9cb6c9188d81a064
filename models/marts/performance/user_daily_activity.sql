{#- One row per team, member and day on which the member did anything, or an item they labeled
    was judged (grain: team_id, user_id, activity_date). The day is the member's: UTC unless a
    time zone is configured for them (macros/time/member_days.sql). -#}
with

member_job_days as (
    select * from {{ ref('int_member_job_days') }}
),

item_visits as (
    select
        team_id,
        user_id,
        image_id,
        has_figure_id,
        {{ member_date('user_id', 'visit_ended_at') }} as activity_date
    from {{ ref('int_item_visits') }}
),

labeling_session_days as (
    select
        team_id,
        user_id,
        activity_date,
        events,
        visits_started,
        session_seconds,
        active_labeling_seconds,
        time_in_tool_seconds
    from {{ ref('int_labeling_session_days') }}
),

login_session_days as (
    select
        team_id,
        user_id,
        activity_date,
        login_seconds
    from {{ ref('int_login_session_days') }}
),

activity as (
    select
        team_id,
        user_id,
        occurred_at,
        {{ member_date('user_id', 'occurred_at') }} as activity_date
    from {{ ref('stg_supervisely__activity') }}
),

-- the additive measures: a day is the sum of its jobs
day_totals as (
    select
        team_id,
        user_id,
        activity_date,
        {%- for measure in member_job_day_measures() %}
        sum({{ measure }}) as {{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from member_job_days
    group by team_id, user_id, activity_date
),

items as (
    select
        team_id,
        user_id,
        activity_date,
        count(distinct image_id) as items_opened,
        count(distinct case when has_figure_id then image_id end) as items_edited
    from item_visits
    group by team_id, user_id, activity_date
),

labeling_time as (
    select
        team_id,
        user_id,
        activity_date,
        -- sessions with an action or session time that day, not only an item left open after them
        sum(
            case when events > 0 or visits_started > 0 or session_seconds > 0 then 1 else 0 end
        ) as labeling_sessions,
        sum(session_seconds) as labeling_session_seconds,
        sum(active_labeling_seconds) as active_labeling_seconds,
        sum(time_in_tool_seconds) as time_in_tool_seconds
    from labeling_session_days
    group by team_id, user_id, activity_date
),

login_time as (
    select
        team_id,
        user_id,
        activity_date,
        count(*) as login_sessions,
        sum(login_seconds) as login_seconds
    from login_session_days
    group by team_id, user_id, activity_date
),

first_last as (
    select
        team_id,
        user_id,
        activity_date,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from activity
    group by team_id, user_id, activity_date
),

-- labeling or login time can fall on a day without events (a session across midnight)
member_days as (
    select
        team_id,
        user_id,
        activity_date
    from day_totals
    union
    select
        team_id,
        user_id,
        activity_date
    from labeling_time
    union
    select
        team_id,
        user_id,
        activity_date
    from login_time
),

final as (
    select
        -- ids
        member_days.team_id,
        member_days.user_id,

        -- events, by category and by figure and tag action
        {%- for measure in ['events'] + (activity_category_measures().values() | list)
            + (item_action_measures().values() | list) %}
        cast(coalesce(day_totals.{{ measure }}, 0) as {{ dbt.type_bigint() }}) as {{ measure }},
        {%- endfor %}

        -- review: as the one who changes the status, and as the labeler judged
        {%- for measure in [
            'items_submitted', 'reviews_performed', 'accepted_as_reviewer', 'rejected_as_reviewer',
            'accepted_as_labeler', 'rejected_as_labeler', 'review_visits',
        ] %}
        cast(coalesce(day_totals.{{ measure }}, 0) as {{ dbt.type_bigint() }}) as {{ measure }},
        {%- endfor %}

        -- items: visits that ended that day
        cast(coalesce(day_totals.visits, 0) as {{ dbt.type_bigint() }}) as visits,
        cast(coalesce(items.items_opened, 0) as {{ dbt.type_bigint() }}) as items_opened,
        cast(coalesce(items.items_edited, 0) as {{ dbt.type_bigint() }}) as items_edited,
        cast(coalesce(items.items_opened - items.items_edited, 0) as {{ dbt.type_bigint() }}) as items_viewed_only,

        -- sessions
        cast(coalesce(labeling_time.labeling_sessions, 0) as {{ dbt.type_bigint() }}) as labeling_sessions,
        cast(coalesce(login_time.login_sessions, 0) as {{ dbt.type_bigint() }}) as login_sessions,

        -- time, seconds (split at midnight)
        coalesce(labeling_time.active_labeling_seconds, 0) as active_labeling_seconds,
        coalesce(labeling_time.time_in_tool_seconds, 0) as time_in_tool_seconds,
        coalesce(labeling_time.labeling_session_seconds, 0) as labeling_session_seconds,
        coalesce(login_time.login_seconds, 0) as login_seconds,
        -- whole visits, on the day they ended
        coalesce(day_totals.review_seconds, 0) as review_seconds,

        -- timestamps
        first_last.first_event_at,
        first_last.last_event_at,

        -- dates
        member_days.activity_date,
        {{ member_time_zone('member_days.user_id') }} as time_zone
    from member_days
    left join day_totals
        on
            member_days.team_id = day_totals.team_id
            and member_days.user_id = day_totals.user_id
            and member_days.activity_date = day_totals.activity_date
    left join items
        on
            member_days.team_id = items.team_id
            and member_days.user_id = items.user_id
            and member_days.activity_date = items.activity_date
    left join labeling_time
        on
            member_days.team_id = labeling_time.team_id
            and member_days.user_id = labeling_time.user_id
            and member_days.activity_date = labeling_time.activity_date
    left join login_time
        on
            member_days.team_id = login_time.team_id
            and member_days.user_id = login_time.user_id
            and member_days.activity_date = login_time.activity_date
    left join first_last
        on
            member_days.team_id = first_last.team_id
            and member_days.user_id = first_last.user_id
            and member_days.activity_date = first_last.activity_date
)

select * from final
