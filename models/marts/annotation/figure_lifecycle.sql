{#- One row per figure (annotation object) the log names (grain: team_id, figure_id): where it
    sits, who made it and how, what happened to it after, where it ended, and whether its item
    was accepted. -#}
with

figures as (
    select * from {{ ref('int_entity_lifecycles') }}
    where entity_kind = 'figure'
),

status_changes as (
    select
        team_id,
        image_id,
        review_status,
        is_acceptance,
        status_seq
    from {{ ref('int_image_review_status_changes') }}
),

-- each item's latest review status
latest_statuses as (
    select
        team_id,
        image_id,
        review_status,
        is_acceptance,
        row_number() over (partition by team_id, image_id order by status_seq desc) as recency
    from status_changes
),

log_ends as (
    select
        team_id,
        log_ended_at
    from {{ ref('int_team_log_windows') }}
),

final as (
    select
        -- ids
        figures.team_id,
        figures.entity_id as figure_id,
        figures.project_id,
        figures.dataset_id,
        figures.image_id,
        figures.class_id,
        figures.job_id,
        figures.created_by_user_id,

        -- how it was made, and where it ended
        figures.figure_source,
        figures.current_state as final_state,
        latest_statuses.review_status as image_review_status,

        -- counts
        figures.event_count,
        figures.update_count,
        figures.editor_count,
        figures.disable_count,
        figures.restore_count,

        -- lifetime: to its final disable, or (still active) to the end of the log
        {{ lifetime_seconds(
            'figures.current_state', 'figures.created_at', 'figures.last_disabled_at', 'log_ends.log_ended_at'
        ) }} as lifetime_seconds,

        -- flags
        figures.current_state = 'active' as is_active,
        coalesce(latest_statuses.is_acceptance, false) as is_image_accepted,
        figures.is_created_before_window,
        figures.has_event_before_create,
        figures.has_restore_without_disable,
        figures.has_disable_while_disabled,
        figures.has_event_while_disabled,
        figures.has_repeated_create,
        figures.is_seen_only_in_references,

        -- timestamps
        figures.created_at,
        figures.last_updated_at,
        figures.last_disabled_at,
        figures.last_restored_at,
        figures.first_seen_at,
        figures.last_seen_at
    from figures
    left join latest_statuses
        on
            figures.team_id = latest_statuses.team_id
            and figures.image_id = latest_statuses.image_id
            and latest_statuses.recency = 1
    left join log_ends
        on figures.team_id = log_ends.team_id
)

select * from final
