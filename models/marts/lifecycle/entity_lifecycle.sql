{#- One row per team, entity kind and entity id of every kind with a lifecycle except figures
    (grain: team_id, entity_kind, entity_id; figures have their own mart): created when and by
    whom, its state now, how often it changed, and what the platform should never produce. -#}
with

entity_lifecycles as (
    select
        entity_key,
        team_id,
        entity_kind,
        entity_id,
        created_by_user_id,
        project_id,
        dataset_id,
        job_id,
        current_state,
        event_count,
        create_count,
        update_count,
        disable_count,
        restore_count,
        use_count,
        editor_count,
        referencing_events,
        is_created_before_window,
        has_event_before_create,
        has_restore_without_disable,
        has_disable_while_disabled,
        has_event_while_disabled,
        has_repeated_create,
        is_seen_only_in_references,
        created_at,
        last_updated_at,
        last_disabled_at,
        last_restored_at,
        first_event_at,
        last_event_at,
        first_seen_at,
        last_seen_at
    from {{ ref('int_entity_lifecycles') }}
    where entity_kind <> 'figure'
),

log_ends as (
    select
        team_id,
        log_ended_at
    from {{ ref('int_team_log_windows') }}
),

with_log_ends as (
    select
        entity_lifecycles.*,
        log_ends.log_ended_at
    from entity_lifecycles
    left join log_ends
        on entity_lifecycles.team_id = log_ends.team_id
),

final as (
    select
        -- ids
        entity_key,
        team_id,
        entity_id,
        created_by_user_id,
        project_id,
        dataset_id,
        job_id,

        -- strings
        entity_kind,
        current_state,

        -- numbers
        event_count,
        create_count,
        update_count,
        disable_count,
        restore_count,
        use_count,
        editor_count,
        referencing_events,
        -- how long it lived: to its final disable, or (still active) to the end of the log
        {{ lifetime_seconds(
            'current_state', 'created_at', 'last_disabled_at', 'log_ended_at'
        ) }} as lifetime_seconds,

        -- booleans
        current_state = 'disabled' as is_disabled,
        is_created_before_window,
        is_seen_only_in_references,
        has_event_before_create,
        has_restore_without_disable,
        has_disable_while_disabled,
        has_event_while_disabled,
        has_repeated_create,
        (
            has_event_before_create
            or has_restore_without_disable
            or has_disable_while_disabled
            or has_event_while_disabled
            or has_repeated_create
        ) as has_anomaly,

        -- timestamps
        created_at,
        last_updated_at,
        last_disabled_at,
        last_restored_at,
        first_event_at,
        last_event_at,
        first_seen_at,
        last_seen_at
    from with_log_ends
)

select * from final
