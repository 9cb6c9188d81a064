{#- One row per change of an item's review status (grain: event_id), in order per item: `done`
    (the labeler submits), `accepted` / `rejected` (a reviewer's verdict),
    `quality_check_accepted` (QA), `none` (reset). Each change belongs to the review round
    opened by the latest submission before it (round 0: before any submission in the export),
    whose submitter is the round's labeler. What each status means, and how changes that share an
    instant are ordered, comes from `review_statuses`.

    Incremental: the sequence and rounds run over an item's whole history, so an item with a new
    status change is rebuilt from all its changes; other items are not touched. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'image_id'],
    on_schema_change='fail',
) }}
with

activity as (
    select
        event_id,
        team_id,
        user_id,
        project_id,
        dataset_id,
        image_id,
        job_id,
        review_status,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
    where action = 'image_review_status_updated'
    {%- if is_incremental() %}
        and (team_id, image_id) in (
            select new_activity.team_id, new_activity.image_id
            from {{ ref('stg_supervisely__activity') }} as new_activity
            where new_activity.action = 'image_review_status_updated' and {{ is_new_input('new_activity') }}
        )
    {%- endif %}
),

review_statuses as (
    select
        review_status,
        is_submission,
        is_verdict,
        is_acceptance,
        same_instant_order
    from {{ ref('review_statuses') }}
),

sequenced as (
    select
        activity.*,
        review_statuses.is_submission,
        review_statuses.is_verdict,
        review_statuses.is_acceptance,
        row_number() over (
            partition by activity.team_id, activity.image_id
            order by activity.occurred_at, review_statuses.same_instant_order, activity.event_id
        ) as status_seq,
        cast(
            sum(case when review_statuses.is_submission then 1 else 0 end)
                over (
                    partition by activity.team_id, activity.image_id
                    order by activity.occurred_at, review_statuses.same_instant_order, activity.event_id
                    rows between unbounded preceding and current row
                )
            as {{ dbt.type_bigint() }}
        ) as round_number,
        lag(activity.review_status) over (
            partition by activity.team_id, activity.image_id
            order by activity.occurred_at, review_statuses.same_instant_order, activity.event_id
        ) as previous_status
    from activity
    inner join review_statuses
        on activity.review_status = review_statuses.review_status
),

rounds as (
    select
        *,
        -- a round opens with its submission: the first change of the round is the `done`
        case
            when round_number > 0
                then first_value(user_id) over (partition by team_id, image_id, round_number order by status_seq)
        end as labeler_user_id,
        case
            when round_number > 0
                then first_value(occurred_at) over (partition by team_id, image_id, round_number order by status_seq)
        end as submitted_at
    from sequenced
),

final as (
    select
        -- ids
        event_id,
        team_id,
        image_id,
        project_id,
        dataset_id,
        job_id,
        user_id as changed_by_user_id,
        labeler_user_id,

        -- change
        status_seq,
        round_number,
        previous_status,
        review_status,

        -- flags
        is_submission,
        is_verdict,
        is_acceptance,
        review_status = 'rejected' as is_rejection,
        -- the item goes back to its labeler: rejected, or reset to none
        review_status in ('rejected', 'none') as sends_back_to_labeler,
        is_verdict and round_number = 0 as is_verdict_without_submission,

        -- durations
        case
            when is_verdict and round_number > 0
                then {{ microseconds_to_seconds(
                    epoch_microseconds('occurred_at') ~ ' - ' ~ epoch_microseconds('submitted_at')
                ) }}
        end as seconds_since_submission,

        -- timestamps
        submitted_at,
        occurred_at as changed_at,
        {{ run_loaded_at() }} as loaded_at
    from rounds
)

select * from final
