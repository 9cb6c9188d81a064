{#- One row per state change of an entity (grain: event_id): its creates, updates, disables and
    restores in order, each valid from its time until the next one (`valid_to` null: the
    current version). Visits, reviews, backups and other uses change nothing and are left out.

    Incremental: an entity with rows int_entity_events rewrote since the last run is rebuilt from
    all its changes (a late change moves the validity of the one before it). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'entity_kind', 'entity_id'],
    on_schema_change='fail',
) }}
with

entity_events as (
    select * from {{ ref('int_entity_events') }}
    where verb_class in ('create', 'update', 'disable', 'restore')
    {%- if is_incremental() %}
        and (team_id, entity_kind, entity_id) in (
            select new_events.team_id, new_events.entity_kind, new_events.entity_id
            from {{ ref('int_entity_events') }} as new_events
            where {{ is_new_input('new_events') }}
        )
    {%- endif %}
),

final as (
    select
        -- ids
        event_id,
        entity_key,
        team_id,
        entity_kind,
        entity_id,
        user_id as changed_by_user_id,

        -- change
        action,
        verb_class,
        previous_state,
        state,
        anomaly,

        -- validity
        occurred_at as valid_from,
        lead(occurred_at) over (partition by entity_key order by entity_event_seq) as valid_to,
        lead(occurred_at) over (partition by entity_key order by entity_event_seq) is null as is_current,
        {{ run_loaded_at() }} as loaded_at
    from entity_events
)

select * from final
