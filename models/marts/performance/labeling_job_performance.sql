{#- One row per team and labeling job named by any event (grain: team_id, job_id): who worked in
    it, what they produced, how reviews went and the time it took, over the whole log. -#}
with

member_job_days as (
    select * from {{ ref('int_member_job_days') }}
    where job_id is not null
),

item_visits as (
    select
        team_id,
        job_id,
        image_id
    from {{ ref('int_item_visits') }}
    where job_id is not null
),

status_changes as (
    select
        team_id,
        job_id,
        image_id,
        review_status,
        is_acceptance,
        status_seq
    from {{ ref('int_image_review_status_changes') }}
    where job_id is not null
),

jobs as (
    select
        team_id,
        job_id,
        count(distinct user_id) as members,
        count(distinct case when items_submitted > 0 then user_id end) as labelers,
        count(distinct case when reviews_performed > 0 then user_id end) as reviewers,
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(visits) as {{ dbt.type_bigint() }}) as visits,
        {{ members_table_sums('accepted_as_reviewer', 'rejected_as_reviewer', 'visit_active_seconds') }},
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date
    from member_job_days
    group by team_id, job_id
),

items_opened as (
    select
        team_id,
        job_id,
        count(distinct image_id) as items_opened
    from item_visits
    group by team_id, job_id
),

-- each item's latest status in the job
latest_statuses as (
    select
        team_id,
        job_id,
        image_id,
        is_acceptance,
        row_number() over (partition by team_id, job_id, image_id order by status_seq desc) as recency
    from status_changes
),

items_reviewed as (
    select
        team_id,
        job_id,
        count(*) as items_with_status,
        sum(case when is_acceptance then 1 else 0 end) as items_accepted_now
    from latest_statuses
    where recency = 1
    group by team_id, job_id
),

with_ratios as (
    select
        jobs.*,
        {{ performance_ratios() }}
    from jobs
),

final as (
    select
        -- ids
        with_ratios.team_id,
        with_ratios.job_id,

        -- people
        cast(with_ratios.members as {{ dbt.type_bigint() }}) as members,
        cast(with_ratios.labelers as {{ dbt.type_bigint() }}) as labelers,
        cast(with_ratios.reviewers as {{ dbt.type_bigint() }}) as reviewers,

        -- counts
        with_ratios.events,
        cast(coalesce(items_opened.items_opened, 0) as {{ dbt.type_bigint() }}) as items_opened,
        cast(coalesce(items_reviewed.items_with_status, 0) as {{ dbt.type_bigint() }}) as items_with_status,
        cast(coalesce(items_reviewed.items_accepted_now, 0) as {{ dbt.type_bigint() }}) as items_accepted_now,
        with_ratios.objects_created,
        with_ratios.tags_created,
        with_ratios.items_submitted,
        with_ratios.reviewed_items,
        with_ratios.accepted_items,
        with_ratios.rejected_items,
        with_ratios.reviews_performed,
        with_ratios.visits,

        -- time
        with_ratios.labeling_seconds,
        with_ratios.review_seconds,

        -- ratios
        with_ratios.labeling_speed_objects_per_hour,
        with_ratios.seconds_per_object,
        with_ratios.acceptance_rate,
        with_ratios.seconds_per_review,

        -- dates
        with_ratios.first_activity_date,
        with_ratios.last_activity_date
    from with_ratios
    left join items_opened
        on
            with_ratios.team_id = items_opened.team_id
            and with_ratios.job_id = items_opened.job_id
    left join items_reviewed
        on
            with_ratios.team_id = items_reviewed.team_id
            and with_ratios.job_id = items_reviewed.job_id
)

select * from final
