{#- One row per team and item that had a review status change or a visit in the export (grain:
    team_id, image_id): how its review went, from its first opening to its latest status.
    Incremental: an item is rebuilt when its status changes, visits or figures were rewritten. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'image_id'],
    on_schema_change='fail',
) }}
with

{%- if is_incremental() %}

changed_items as (
    select
        team_id,
        image_id
    from {{ ref('int_image_review_status_changes') }}
    where {{ is_new_input() }}
    union
    select
        team_id,
        image_id
    from {{ ref('int_item_visits') }}
    where {{ is_new_input() }} and image_id is not null
    union
    select
        team_id,
        image_id
    from {{ ref('int_entity_lifecycles') }}
    where {{ is_new_input() }} and entity_kind = 'figure' and image_id is not null
),
{%- endif %}

status_changes as (
    select
        team_id,
        image_id,
        project_id,
        dataset_id,
        job_id,
        changed_by_user_id,
        status_seq,
        round_number,
        review_status,
        is_submission,
        is_verdict,
        is_acceptance,
        is_rejection,
        sends_back_to_labeler,
        changed_at
    from {{ ref('int_image_review_status_changes') }}
    {%- if is_incremental() %}
    where (team_id, image_id) in (select changed_items.team_id, changed_items.image_id from changed_items)
    {%- endif %}
),

item_visits as (
    select
        team_id,
        image_id,
        project_id,
        dataset_id,
        job_id,
        user_id,
        duration_seconds,
        active_seconds,
        visit_started_at,
        visit_ended_at
    from {{ ref('int_item_visits') }}
    {%- if is_incremental() %}
    where (team_id, image_id) in (select changed_items.team_id, changed_items.image_id from changed_items)
    {%- endif %}
),

figures as (
    select
        team_id,
        image_id,
        entity_id as figure_id
    from {{ ref('int_entity_lifecycles') }}
    where entity_kind = 'figure' and not is_created_before_window
    {%- if is_incremental() %}
        and (team_id, image_id) in (select changed_items.team_id, changed_items.image_id from changed_items)
    {%- endif %}
),

-- a decision on the item: a verdict, or a reset to `none` (which sends it back without one);
-- decisions before its first submission in the export mean its review began earlier
decisions as (
    select
        *,
        (is_verdict or review_status = 'none') and round_number > 0 as is_decision,
        (is_verdict or review_status = 'none') and round_number = 0 as is_decision_before_submission
    from status_changes
),

ranked_changes as (
    select
        *,
        row_number() over (
            partition by team_id, image_id order by status_seq desc
        ) as recency,
        row_number() over (
            partition by team_id, image_id, is_submission order by status_seq desc
        ) as submission_recency,
        row_number() over (
            partition by team_id, image_id, is_verdict order by status_seq desc
        ) as verdict_recency,
        row_number() over (
            partition by team_id, image_id, is_decision order by status_seq
        ) as decision_order,
        min(case when is_rejection then status_seq end) over (
            partition by team_id, image_id
        ) as first_rejection_seq
    from decisions
),

review_history as (
    select
        team_id,
        image_id,
        max(case when recency = 1 then project_id end) as project_id,
        max(case when recency = 1 then dataset_id end) as dataset_id,
        max(case when recency = 1 then job_id end) as job_id,
        max(case when is_submission and submission_recency = 1 then changed_by_user_id end) as labeler_user_id,
        max(case when is_verdict and verdict_recency = 1 then changed_by_user_id end) as reviewer_user_id,
        max(case when recency = 1 then review_status end) as final_review_status,
        -- bool_or: max() of a boolean is not portable (one row per image has recency 1)
        bool_or(case when recency = 1 then is_acceptance end) as is_final_status_acceptance,
        max(case when is_decision and decision_order = 1 then review_status end) as first_decision,
        bool_or(case when is_decision and decision_order = 1 then is_acceptance end) as is_first_decision_acceptance,
        count(*) as status_changes,
        count(case when is_submission then 1 end) as submissions,
        count(case when is_verdict then 1 end) as review_rounds,
        count(case when sends_back_to_labeler then 1 end) as rework_rounds,
        count(case when is_acceptance then 1 end) as acceptances,
        count(case when is_rejection then 1 end) as rejections,
        count(case when review_status = 'none' then 1 end) as resets,
        -- rework in the funnel's sense: the item came back after a rejection, not merely twice
        count(case when is_submission and status_seq > first_rejection_seq then 1 end)
            as resubmissions_after_rejection,
        count(case when is_decision_before_submission then 1 end) as decisions_before_first_submission,
        min(case when is_submission then changed_at end) as first_submitted_at,
        min(case when is_verdict and round_number > 0 then changed_at end) as first_verdict_at,
        max(changed_at) as last_status_at
    from ranked_changes
    group by team_id, image_id
),

visit_totals as (
    select
        team_id,
        image_id,
        max(project_id) as project_id,
        max(dataset_id) as dataset_id,
        max(job_id) as job_id,
        count(*) as visits,
        count(distinct user_id) as visitors,
        sum(duration_seconds) as time_in_tool_seconds,
        sum(active_seconds) as active_seconds,
        min(visit_started_at) as first_opened_at,
        max(visit_ended_at) as last_visit_ended_at
    from item_visits
    group by team_id, image_id
),

figure_totals as (
    select
        team_id,
        image_id,
        count(*) as figures_created
    from figures
    group by team_id, image_id
),

items as (
    select
        team_id,
        image_id
    from review_history
    union
    select
        team_id,
        image_id
    from visit_totals
),

final as (
    select
        -- ids
        items.team_id,
        items.image_id,
        coalesce(review_history.project_id, visit_totals.project_id) as project_id,
        coalesce(review_history.dataset_id, visit_totals.dataset_id) as dataset_id,
        coalesce(review_history.job_id, visit_totals.job_id) as job_id,
        review_history.labeler_user_id,
        review_history.reviewer_user_id,

        -- strings
        review_history.final_review_status,
        review_history.first_decision,

        -- numbers
        cast(coalesce(review_history.status_changes, 0) as bigint) as status_changes,
        cast(coalesce(review_history.submissions, 0) as bigint) as submissions,
        cast(coalesce(review_history.review_rounds, 0) as bigint) as review_rounds,
        cast(coalesce(review_history.rework_rounds, 0) as bigint) as rework_rounds,
        cast(coalesce(review_history.acceptances, 0) as bigint) as acceptances,
        cast(coalesce(review_history.rejections, 0) as bigint) as rejections,
        cast(coalesce(review_history.resets, 0) as bigint) as resets,
        cast(coalesce(review_history.resubmissions_after_rejection, 0) as bigint) as resubmissions_after_rejection,
        cast(coalesce(figure_totals.figures_created, 0) as bigint) as figures_created,
        cast(coalesce(visit_totals.visits, 0) as bigint) as visits,
        cast(coalesce(visit_totals.visitors, 0) as bigint) as visitors,
        {{ microseconds_to_seconds(
            epoch_microseconds('review_history.first_verdict_at')
            ~ ' - ' ~ epoch_microseconds('review_history.first_submitted_at')
        ) }} as seconds_to_first_verdict,
        cast(coalesce(visit_totals.time_in_tool_seconds, 0) as {{ type_double() }}) as time_in_tool_seconds,
        cast(coalesce(visit_totals.active_seconds, 0) as {{ type_double() }}) as active_seconds,

        -- booleans
        -- unknown (null) until the first submission gets a verdict or a reset, and when the
        -- item's review began before the export
        case
            when review_history.decisions_before_first_submission = 0
                then review_history.is_first_decision_acceptance
        end as is_first_pass_accepted,
        coalesce(review_history.is_final_status_acceptance, false) as is_accepted,
        visit_totals.image_id is not null as is_opened,

        -- timestamps
        visit_totals.first_opened_at,
        review_history.first_submitted_at,
        review_history.first_verdict_at,
        review_history.last_status_at,
        visit_totals.last_visit_ended_at,

        {{ run_loaded_at() }} as loaded_at
    from items
    left join review_history
        on
            items.team_id = review_history.team_id
            and items.image_id = review_history.image_id
    left join visit_totals
        on
            items.team_id = visit_totals.team_id
            and items.image_id = visit_totals.image_id
    left join figure_totals
        on
            items.team_id = figure_totals.team_id
            and items.image_id = figure_totals.image_id
)

select * from final
