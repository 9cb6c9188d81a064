{#- One row per item visit (grain: visit_id, the `annotation_duration` event): who had which item
    open from when to when, whether they edited it, what they did in it, and the labeling
    session it belongs to (the one its closing action is in). -#}
with

activity as (
    select * from {{ ref('stg_supervisely__activity') }}
),

timeline as (
    select
        team_id,
        user_id,
        point_us,
        labeling_session_id,
        idle_item_open_us_before
    from {{ ref('int_labeling_timeline') }}
),

visits as (
    select
        event_id as visit_id,
        team_id,
        user_id,
        project_id,
        dataset_id,
        image_id,
        job_id,
        figure_id,
        duration_seconds,
        {{ visit_started_at_microseconds('occurred_at', 'duration_seconds') }} as started_us,
        {{ epoch_microseconds('occurred_at') }} as ended_us
    from activity
    where action = 'annotation_duration'
),

-- the member's figure and tag events on the same item while it was open
item_actions as (
    select
        event_id,
        team_id,
        user_id,
        image_id,
        action,
        {{ epoch_microseconds('occurred_at') }} as occurred_us
    from activity
    where
        action in (
            'create_figure', 'update_figure', 'disable_figure', 'restore_figure',
            'attach_tag', 'update_tag_value', 'detach_tag'
        )
        and image_id is not null
),

-- an action belongs to one visit: of those open on the item at its time (ends included), the
-- one that closes first, so that back-to-back or overlapping visits never count it twice
action_visits as (
    select
        item_actions.action,
        visits.visit_id,
        row_number() over (
            partition by item_actions.event_id order by visits.ended_us, visits.visit_id
        ) as visit_rank
    from item_actions
    inner join visits
        on
            item_actions.team_id = visits.team_id
            and item_actions.user_id = visits.user_id
            and item_actions.image_id = visits.image_id
            and item_actions.occurred_us between visits.started_us and visits.ended_us
),

actions_in_visits as (
    select
        visit_id,
        sum(case when action = 'create_figure' then 1 else 0 end) as figures_created,
        sum(case when action = 'update_figure' then 1 else 0 end) as figures_updated,
        sum(case when action = 'disable_figure' then 1 else 0 end) as figures_disabled,
        sum(case when action = 'restore_figure' then 1 else 0 end) as figures_restored,
        sum(case when action = 'attach_tag' then 1 else 0 end) as tags_attached,
        sum(case when action = 'update_tag_value' then 1 else 0 end) as tag_values_updated,
        sum(case when action = 'detach_tag' then 1 else 0 end) as tags_detached
    from action_visits
    where visit_rank = 1
    group by visit_id
),

final as (
    select
        -- ids
        visits.visit_id,
        visits.team_id,
        visits.user_id,
        visits.project_id,
        visits.dataset_id,
        visits.image_id,
        visits.job_id,
        visits.figure_id,
        visit_end.labeling_session_id,
        visit_start.labeling_session_id as started_in_labeling_session_id,

        -- actions inside the visit
        coalesce(actions_in_visits.figures_created, 0) as figures_created,
        coalesce(actions_in_visits.figures_updated, 0) as figures_updated,
        coalesce(actions_in_visits.figures_disabled, 0) as figures_disabled,
        coalesce(actions_in_visits.figures_restored, 0) as figures_restored,
        coalesce(actions_in_visits.tags_attached, 0) as tags_attached,
        coalesce(actions_in_visits.tag_values_updated, 0) as tag_values_updated,
        coalesce(actions_in_visits.tags_detached, 0) as tags_detached,

        -- durations, seconds
        visits.duration_seconds,
        {{ microseconds_to_seconds(
            'visit_end.idle_item_open_us_before - visit_start.idle_item_open_us_before'
        ) }} as idle_seconds,
        {{ microseconds_to_seconds(
            'visits.ended_us - visits.started_us'
            ~ ' - (visit_end.idle_item_open_us_before - visit_start.idle_item_open_us_before)'
        ) }} as active_seconds,

        -- flags
        visits.figure_id is not null as has_figure_id,
        visits.figure_id is not null
        or coalesce(
            actions_in_visits.figures_created + actions_in_visits.figures_updated
            + actions_in_visits.figures_disabled + actions_in_visits.figures_restored,
            0
        ) > 0 as is_edited,

        -- timestamps
        {{ timestamp_from_epoch_microseconds('visits.started_us') }} as visit_started_at,
        {{ timestamp_from_epoch_microseconds('visits.ended_us') }} as visit_ended_at
    from visits
    inner join timeline as visit_end
        on
            visits.team_id = visit_end.team_id
            and visits.user_id = visit_end.user_id
            and visits.ended_us = visit_end.point_us
    inner join timeline as visit_start
        on
            visits.team_id = visit_start.team_id
            and visits.user_id = visit_start.user_id
            and visits.started_us = visit_start.point_us
    left join actions_in_visits
        on visits.visit_id = actions_in_visits.visit_id
)

select * from final
