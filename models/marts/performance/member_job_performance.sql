{#- One row per team, member and labeling job they worked in or were judged in (grain: team_id,
    user_id, job_id): the platform's members table for one job, over the whole log. -#}
with

member_job_days as (
    select * from {{ ref('int_member_job_days') }}
    where job_id is not null
),

member_jobs as (
    select
        team_id,
        user_id,
        job_id,
        cast(sum(case when events > 0 then 1 else 0 end) as {{ dbt.type_bigint() }}) as active_days,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(visits) as {{ dbt.type_bigint() }}) as visits,
        {{ members_table_sums('accepted_as_labeler', 'rejected_as_labeler', 'visit_active_seconds') }},
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date
    from member_job_days
    group by team_id, user_id, job_id
),

with_ratios as (
    select
        *,
        {{ performance_ratios() }}
    from member_jobs
),

final as (
    select
        -- ids
        team_id,
        user_id,
        job_id,

        -- counts
        active_days,
        events,
        objects_created,
        tags_created,
        items_submitted,
        reviewed_items,
        accepted_items,
        rejected_items,
        reviews_performed,
        visits,

        -- time
        labeling_seconds,
        labeling_minutes,
        review_seconds,

        -- ratios
        labeling_speed_objects_per_hour,
        seconds_per_object,
        acceptance_rate,
        seconds_per_review,

        -- dates
        first_activity_date,
        last_activity_date
    from with_ratios
)

select * from final
