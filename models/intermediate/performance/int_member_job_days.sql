{#- One row per team, member, labeling job and member's day (UTC unless a time zone is configured,
    see macros/time/member_days.sql; grain: member_job_day_id; job_id is null
    for what happened outside any job): every additive measure of a member's work, so that a
    member's day, week, month or job is a sum of rows. Events count on the day they happened;
    a visit, its active time and its review time count whole on the day the visit ended;
    verdicts count for the reviewer who gave them and for the labeler of the item's round. -#}
with

activity as (
    select
        team_id,
        user_id,
        job_id,
        action,
        action_category,
        {{ member_date('user_id', 'occurred_at') }} as activity_date
    from {{ ref('stg_supervisely__activity') }}
),

status_changes as (
    select
        team_id,
        changed_by_user_id,
        labeler_user_id,
        job_id,
        is_submission,
        is_verdict,
        is_acceptance,
        is_rejection,
        changed_at
    from {{ ref('int_image_review_status_changes') }}
),

item_visits as (
    select
        team_id,
        user_id,
        job_id,
        active_seconds,
        is_review,
        {{ member_date('user_id', 'visit_ended_at') }} as activity_date
    from {{ ref('int_item_visits') }}
),

event_counts as (
    select
        team_id,
        user_id,
        job_id,
        activity_date,
        count(*) as events,
        {{ count_by_value('action_category', activity_category_measures()) }},
        {{ count_by_value('action', item_action_measures()) }}
    from activity
    group by team_id, user_id, job_id, activity_date
),

-- verdicts and submissions by whoever changed the status
reviewing as (
    select
        team_id,
        changed_by_user_id as user_id,
        job_id,
        {{ member_date('changed_by_user_id', 'changed_at') }} as activity_date,
        cast(sum(case when is_submission then 1 else 0 end) as {{ dbt.type_bigint() }}) as items_submitted,
        cast(sum(case when is_verdict then 1 else 0 end) as {{ dbt.type_bigint() }}) as reviews_performed,
        cast(sum(case when is_verdict and is_acceptance then 1 else 0 end) as {{ dbt.type_bigint() }})
            as accepted_as_reviewer,
        cast(sum(case when is_verdict and is_rejection then 1 else 0 end) as {{ dbt.type_bigint() }})
            as rejected_as_reviewer
    from status_changes
    group by team_id, changed_by_user_id, job_id, {{ member_date('changed_by_user_id', 'changed_at') }}
),

-- the same verdicts, for the labeler whose submission they judge
judged as (
    select
        team_id,
        labeler_user_id as user_id,
        job_id,
        {{ member_date('labeler_user_id', 'changed_at') }} as activity_date,
        cast(sum(case when is_acceptance then 1 else 0 end) as {{ dbt.type_bigint() }}) as accepted_as_labeler,
        cast(sum(case when is_rejection then 1 else 0 end) as {{ dbt.type_bigint() }}) as rejected_as_labeler
    from status_changes
    where is_verdict and labeler_user_id is not null
    group by team_id, labeler_user_id, job_id, {{ member_date('labeler_user_id', 'changed_at') }}
),

visit_time as (
    select
        team_id,
        user_id,
        job_id,
        activity_date,
        count(*) as visits,
        cast(sum(case when is_review then 1 else 0 end) as {{ dbt.type_bigint() }}) as review_visits,
        sum(active_seconds) as visit_active_seconds,
        sum(case when is_review then active_seconds else 0 end) as review_seconds
    from item_visits
    group by team_id, user_id, job_id, activity_date
),

member_job_days as (
    select
        team_id,
        user_id,
        job_id,
        activity_date
    from event_counts
    union
    select
        team_id,
        user_id,
        job_id,
        activity_date
    from reviewing
    union
    select
        team_id,
        user_id,
        job_id,
        activity_date
    from judged
    union
    select
        team_id,
        user_id,
        job_id,
        activity_date
    from visit_time
),

final as (
    select
        -- ids
        {{ generate_surrogate_key([
            'member_job_days.team_id', 'member_job_days.user_id',
            'member_job_days.job_id', 'member_job_days.activity_date',
        ]) }} as member_job_day_id,
        member_job_days.team_id,
        member_job_days.user_id,
        member_job_days.job_id,

        -- events
        coalesce(event_counts.events, 0) as events,
        {%- for measure in (activity_category_measures().values() | list) + (item_action_measures().values() | list) %}
        coalesce(event_counts.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}

        -- review
        coalesce(reviewing.items_submitted, 0) as items_submitted,
        coalesce(reviewing.reviews_performed, 0) as reviews_performed,
        coalesce(reviewing.accepted_as_reviewer, 0) as accepted_as_reviewer,
        coalesce(reviewing.rejected_as_reviewer, 0) as rejected_as_reviewer,
        coalesce(judged.accepted_as_labeler, 0) as accepted_as_labeler,
        coalesce(judged.rejected_as_labeler, 0) as rejected_as_labeler,

        -- item visits (on the day they ended)
        coalesce(visit_time.visits, 0) as visits,
        coalesce(visit_time.review_visits, 0) as review_visits,
        coalesce(visit_time.visit_active_seconds, 0) as visit_active_seconds,
        coalesce(visit_time.review_seconds, 0) as review_seconds,

        -- dates
        member_job_days.activity_date
    from member_job_days
    left join event_counts
        on
            member_job_days.team_id = event_counts.team_id
            and member_job_days.user_id = event_counts.user_id
            and member_job_days.job_id is not distinct from event_counts.job_id
            and member_job_days.activity_date = event_counts.activity_date
    left join reviewing
        on
            member_job_days.team_id = reviewing.team_id
            and member_job_days.user_id = reviewing.user_id
            and member_job_days.job_id is not distinct from reviewing.job_id
            and member_job_days.activity_date = reviewing.activity_date
    left join judged
        on
            member_job_days.team_id = judged.team_id
            and member_job_days.user_id = judged.user_id
            and member_job_days.job_id is not distinct from judged.job_id
            and member_job_days.activity_date = judged.activity_date
    left join visit_time
        on
            member_job_days.team_id = visit_time.team_id
            and member_job_days.user_id = visit_time.user_id
            and member_job_days.job_id is not distinct from visit_time.job_id
            and member_job_days.activity_date = visit_time.activity_date
)

select * from final
