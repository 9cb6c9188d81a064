{#- One row per state change of an entity (grain: event_id): its creates, updates, disables and
    restores in order, each valid from its time until the next one (`valid_to` null: the
    current version). Visits, reviews, backups and other uses change nothing and are left out. -#}
with

entity_events as (
    select * from {{ ref('int_entity_events') }}
    where verb_class in ('create', 'update', 'disable', 'restore')
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
        lead(occurred_at) over (partition by entity_key order by entity_event_seq) is null as is_current
    from entity_events
)

select * from final
