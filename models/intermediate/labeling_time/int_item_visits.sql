{#- One row per item visit (grain: visit_id, the `annotation_duration` event): who had which item
    open from when to when, whether they edited or reviewed it, what they did in it, and the labeling
    session it belongs to (the one its closing action is in).
    Incremental: a member's visits that start from an instant on are rebuilt: the first instant the
    timeline rewrote, or (a verdict whose review status change was rewritten can turn a visit into
    a review visit) the longest visit before such a verdict. Visits that end after that instant are
    read too, since an action inside two visits counts in the first to end. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'user_id'],
    partition_from='visit_started_at',
    on_schema_change='fail',
) }}
with

{%- if is_incremental() %}

rebuilt_members as (
    select
        team_id,
        user_id,
        min(rebuild_from) as rebuild_from_us
    from (
        {{ changed_members(ref('int_labeling_timeline'), 'point_us') }}
        union all
        select
            team_id,
            changed_by_user_id as user_id,
            {{ epoch_microseconds('changed_at') }}
            - {{ var('max_visit_duration_seconds') * 1000000 }} as rebuild_from
        from {{ ref('int_image_review_status_changes') }}
        where {{ is_new_input() }} and changed_by_user_id is not null
    ) as changes
    group by team_id, user_id
),

activity as (
    select activity.*
    from {{ ref('stg_supervisely__activity') }} as activity
    inner join rebuilt_members
        on
            activity.team_id = rebuilt_members.team_id
            and activity.user_id = rebuilt_members.user_id
            and {{ epoch_microseconds('activity.occurred_at') }} >= rebuilt_members.rebuild_from_us
),

timeline as (
    select
        timeline.team_id,
        timeline.user_id,
        timeline.point_us,
        timeline.labeling_session_id,
        timeline.idle_item_open_us_before
    from {{ ref('int_labeling_timeline') }} as timeline
    inner join rebuilt_members
        on
            timeline.team_id = rebuilt_members.team_id
            and timeline.user_id = rebuilt_members.user_id
            and timeline.point_us >= rebuilt_members.rebuild_from_us
),
{%- else %}

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
{%- endif %}

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
            {%- for action in item_action_measures() %}
            '{{ action }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
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

-- a review visit: the member gave a verdict on the item while it was open (ends included)
verdicts as (
    select
        team_id,
        changed_by_user_id as user_id,
        image_id,
        {{ epoch_microseconds('changed_at') }} as changed_us
    from {{ ref('int_image_review_status_changes') }}
    where is_verdict
),

review_visits as (
    select distinct visits.visit_id
    from visits
    inner join verdicts
        on
            visits.team_id = verdicts.team_id
            and visits.user_id = verdicts.user_id
            and visits.image_id = verdicts.image_id
            and verdicts.changed_us between visits.started_us and visits.ended_us
),

actions_in_visits as (
    select
        visit_id,
        {{ count_by_value('action', item_action_measures()) }}
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
        {%- for measure in item_action_measures().values() %}
        coalesce(actions_in_visits.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}

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
        review_visits.visit_id is not null as is_review,

        -- timestamps
        {{ timestamp_from_epoch_microseconds('visits.started_us') }} as visit_started_at,
        {{ timestamp_from_epoch_microseconds('visits.ended_us') }} as visit_ended_at,

        {{ run_loaded_at() }} as loaded_at
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
    left join review_visits
        on visits.visit_id = review_visits.visit_id
    {%- if is_incremental() %}
    -- visits that started before the rebuilt instants were only read
    inner join rebuilt_members
        on
            visits.team_id = rebuilt_members.team_id
            and visits.user_id = rebuilt_members.user_id
            and visits.started_us >= rebuilt_members.rebuild_from_us
    {%- endif %}
)

select * from final
