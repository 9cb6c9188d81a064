{#- One row per attachment of a tag to an item or a figure (grain: tag_attachment_id): from its
    `attach_tag` to its `detach_tag` (open while still attached), with its value changes.

    A target is a tag on an item (figure_id null) or on one of its figures. Its events, in
    time order, are cut at every `attach_tag`: each attachment holds its attach and what
    follows until the next. Events before a target's first attach belong to an attachment made
    before the export window (number 0). Tag events name no attachment of their own, so two
    attachments of one tag to one target at once (frame ranges of a video) are read in turn.

    Incremental: a team with a new tag event has its attachments rebuilt from all its tag events.
    The windows run per target (team, tag, item, figure), but figure_id is null on every item tag
    and tag_id on events of the older shape, and replace_partitions matches keys with `=`, so the
    team is the narrowest partition whose keys are never null. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id'],
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
        figure_id,
        job_id,
        tag_id,
        meta_target_id,
        action,
        tag_value,
        tag_start_frame,
        tag_end_frame,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
    -- a tag event that names neither an item nor a figure has no target (a warning test counts them)
    where
        action in ('attach_tag', 'update_tag_value', 'detach_tag')
        and (image_id is not null or figure_id is not null)
    {%- if is_incremental() %}
        and team_id in (
            select new_activity.team_id
            from {{ ref('stg_supervisely__activity') }} as new_activity
            where
                new_activity.action in ('attach_tag', 'update_tag_value', 'detach_tag')
                and {{ is_new_input('new_activity') }}
        )
    {%- endif %}
),

tie_ranked as (
    {{ open_close_tie_rank(
        'activity', ['team_id', 'tag_id', 'image_id', 'figure_id'], 'occurred_at',
        opens="action = 'attach_tag'", closes="action = 'detach_tag'",
    ) }}
),

numbered as (
    select
        *,
        cast(
            sum(case when action = 'attach_tag' then 1 else 0 end)
                over (
                    partition by team_id, tag_id, image_id, figure_id
                    order by occurred_at, open_close_rank, event_id
                    rows between unbounded preceding and current row
                )
            as {{ dbt.type_bigint() }}
        ) as attachment_number,
        row_number() over (
            partition by team_id, tag_id, image_id, figure_id
            order by occurred_at, open_close_rank, event_id
        ) as target_event_seq
    from tie_ranked
),

ranked as (
    select
        *,
        -- the latest event that sets a value (a detach only repeats it)
        row_number() over (
            partition by team_id, tag_id, image_id, figure_id, attachment_number
            order by case when action = 'detach_tag' then 0 else 1 end desc, target_event_seq desc
        ) as value_recency,
        min(case when action = 'detach_tag' then target_event_seq end) over (
            partition by team_id, tag_id, image_id, figure_id, attachment_number
        ) as first_detach_seq
    from numbered
),

attachments as (
    select
        team_id,
        tag_id,
        image_id,
        figure_id,
        attachment_number,
        max(project_id) as project_id,
        max(dataset_id) as dataset_id,
        max(job_id) as job_id,
        max(case when action = 'attach_tag' then meta_target_id end) as tag_instance_id,
        max(case when action = 'attach_tag' then user_id end) as attached_by_user_id,
        max(case when action = 'attach_tag' then occurred_at end) as attached_at,
        max(case when action = 'attach_tag' then tag_value end) as value_at_attach,
        max(case when value_recency = 1 and action <> 'detach_tag' then tag_value end) as latest_value,
        max(case when target_event_seq = first_detach_seq then user_id end) as detached_by_user_id,
        max(case when target_event_seq = first_detach_seq then occurred_at end) as detached_at,
        cast(sum(case when action = 'update_tag_value' then 1 else 0 end) as {{ dbt.type_bigint() }}) as value_updates,
        cast(sum(case when action = 'detach_tag' then 1 else 0 end) as {{ dbt.type_bigint() }}) as detaches,
        cast(sum(case when target_event_seq > first_detach_seq then 1 else 0 end) as {{ dbt.type_bigint() }})
            as events_after_detach,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from ranked
    group by team_id, tag_id, image_id, figure_id, attachment_number
),

bounded as (
    select
        *,
        lead(attached_at) over (
            partition by team_id, tag_id, image_id, figure_id order by attachment_number
        ) as next_attached_at
    from attachments
),

final as (
    select
        -- ids
        {{
            generate_surrogate_key(['team_id', 'tag_id', 'image_id', 'figure_id', 'attachment_number'])
        }} as tag_attachment_id,
        team_id,
        tag_id,
        tag_instance_id,
        project_id,
        dataset_id,
        image_id,
        figure_id,
        job_id,
        attached_by_user_id,
        detached_by_user_id,

        -- attachment
        case when figure_id is null then 'image' else 'figure' end as target_kind,
        attachment_number,
        value_at_attach,
        latest_value,
        value_updates,

        -- flags
        attachment_number = 0 as is_attached_before_window,
        detached_at is null and next_attached_at is null as is_attached,
        detached_at is null and next_attached_at is not null as is_reattached_without_detach,
        detaches > 1 as has_repeated_detach,
        events_after_detach > 0 as has_event_after_detach,

        -- validity
        coalesce(attached_at, first_event_at) as valid_from,
        -- an attach while attached ends the earlier attachment
        coalesce(detached_at, next_attached_at) as valid_to,
        attached_at,
        detached_at,
        last_event_at,
        {{ run_loaded_at() }} as loaded_at
    from bounded
)

select * from final
