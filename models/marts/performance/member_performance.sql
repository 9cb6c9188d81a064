{#- One row per team, member, period kind and period (grain: team_id, user_id, period,
    period_start): the platform's members table by day, ISO week and month. -#}
{%- set periods = ['day', 'week', 'month'] %}

with

user_daily_activity as (
    select * from {{ ref('user_daily_activity') }}
),

member_periods as (
    {%- for period in periods %}
    {%- if not loop.first %}

    union all
    {%- endif %}

    select
        team_id,
        user_id,
        '{{ period }}' as period,
        {{ period_start(period, 'activity_date') }} as period_start,
        cast(sum(case when events > 0 then 1 else 0 end) as {{ dbt.type_bigint() }}) as active_days,
        {{ members_table_sums('accepted_as_labeler', 'rejected_as_labeler', 'active_labeling_seconds') }},
        sum(time_in_tool_seconds) as time_in_tool_seconds,
        sum(login_seconds) as login_seconds,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from user_daily_activity
    group by team_id, user_id, {{ period_start(period, 'activity_date') }}
    {%- endfor %}
),

with_ratios as (
    select
        *,
        {{ performance_ratios() }}
    from member_periods
),

final as (
    select
        -- ids
        team_id,
        user_id,

        -- the period
        period,

        -- counts
        active_days,
        objects_created,
        tags_created,
        items_submitted,
        reviewed_items,
        accepted_items,
        rejected_items,
        reviews_performed,

        -- time
        labeling_seconds,
        labeling_minutes,
        time_in_tool_seconds,
        review_seconds,
        login_seconds,

        -- ratios
        labeling_speed_objects_per_hour,
        seconds_per_object,
        acceptance_rate,
        seconds_per_review,

        -- timestamps
        first_event_at,
        last_event_at,

        -- dates
        period_start
    from with_ratios
)

select * from final
