{#- One row per event that acts on an entity with a lifecycle (grain: event_id): every kind the
    action catalog can create (project, dataset, image, figure, class, plugin, node, workspace,
    model), the entity read from the column the catalog names, and the entity's state before
    and after the event.

    The state follows `entity_state_transitions`: after an event it is set by the latest create,
    disable or restore so far (create and restore make it active, disable disabled; an entity
    seen without any of them is active, created before the export window). Other events leave
    it as it is. The seed names the anomaly of each (previous state, verb) pair; the one step
    the pair cannot tell apart is a first create after other events (not a second create).

    Incremental: every window runs over one entity's events, so an entity a new event acts on is
    rebuilt from all its events (a late event shifts the sequence and states after it); other
    entities are not touched. An event of the older shape replaced by its full twin names the same
    entity, or none (its record lacks the id), so the twin's entity covers it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'entity_kind', 'entity_id'],
    on_schema_change='fail',
) }}
with

activity as (
    select * from {{ ref('stg_supervisely__activity') }}
),

action_catalog as (
    select
        action,
        entity_kind,
        verb,
        entity_id_column
    from {{ ref('activity_action_catalog') }}
),

-- the kinds with a lifecycle: those the catalog has a create action for
lifecycle_kinds as (
    select distinct entity_kind
    from action_catalog
    where verb = 'create'
),

transitions as (
    select
        previous_state,
        verb_class,
        anomaly
    from {{ ref('entity_state_transitions') }}
),

entity_events as (
    select
        activity.event_id,
        activity.team_id,
        activity.user_id,
        activity.project_id,
        activity.dataset_id,
        activity.image_id,
        activity.class_id,
        activity.job_id,
        activity.figure_source,
        activity.action,
        action_catalog.entity_kind,
        action_catalog.verb,
        case
            when action_catalog.verb in ('create', 'update', 'disable', 'restore') then action_catalog.verb
            else 'use'
        end as verb_class,
        {{ entity_id_by_column('action_catalog.entity_id_column', 'activity') }} as entity_id,
        activity.occurred_at
    from activity
    inner join action_catalog
        on activity.action = action_catalog.action
    inner join lifecycle_kinds
        on action_catalog.entity_kind = lifecycle_kinds.entity_kind
),

{%- if is_incremental() %}

-- the entities that events loaded since the last run act on
changed_entities as (
    select distinct
        activity.team_id,
        action_catalog.entity_kind,
        {{ entity_id_by_column('action_catalog.entity_id_column', 'activity') }} as entity_id
    from activity
    inner join action_catalog
        on activity.action = action_catalog.action
    where {{ is_new_input('activity') }}
),
{%- endif %}

identified as (
    select
        *,
        -- seen before this instant: an entity first seen without a create exists (is active)
        occurred_at > min(occurred_at) over (partition by team_id, entity_kind, entity_id) as is_seen_before
    from entity_events
    -- an event whose record lacks the entity's id (meta.id can be absent) has no entity to follow
    where entity_id is not null
    {%- if is_incremental() %}
        -- all events of each changed entity: the windows below must see the whole entity
        and (team_id, entity_kind, entity_id) in (
            select changed_entities.team_id, changed_entities.entity_kind, changed_entities.entity_id
            from changed_entities
        )
    {%- endif %}
),

tie_ranked as (
    {{ open_close_tie_rank(
        'identified', ['team_id', 'entity_kind', 'entity_id'], 'occurred_at',
        opens="verb_class in ('create', 'restore')", closes="verb_class = 'disable'",
        initially_open='is_seen_before',
    ) }}
),

sequenced as (
    select
        *,
        row_number() over (
            partition by team_id, entity_kind, entity_id
            order by occurred_at, open_close_rank, event_id
        ) as entity_event_seq
    from tie_ranked
),

decisive as (
    select
        *,
        -- code of the latest create (1), restore (2) or disable (3): packed with the sequence
        -- number so that a running max finds it without a self-join
        max(
            case verb_class when 'create' then 1 when 'restore' then 2 when 'disable' then 3 end
            + 4 * entity_event_seq
        ) over (
            partition by team_id, entity_kind, entity_id order by entity_event_seq
            rows between unbounded preceding and current row
        ) as latest_decisive_after,
        max(
            case verb_class when 'create' then 1 when 'restore' then 2 when 'disable' then 3 end
            + 4 * entity_event_seq
        ) over (
            partition by team_id, entity_kind, entity_id order by entity_event_seq
            rows between unbounded preceding and 1 preceding
        ) as latest_decisive_before,
        coalesce(sum(case when verb_class = 'create' then 1 else 0 end) over (
            partition by team_id, entity_kind, entity_id order by entity_event_seq
            rows between unbounded preceding and 1 preceding
        ), 0) as creates_before
    from sequenced
),

states as (
    select
        *,
        case
            when entity_event_seq = 1 then 'absent'
            when mod(latest_decisive_before, 4) = 3 then 'disabled'
            else 'active'
        end as previous_state,
        case when mod(latest_decisive_after, 4) = 3 then 'disabled' else 'active' end as state
    from decisive
),

final as (
    select
        -- ids
        states.event_id,
        {{ generate_surrogate_key(['states.team_id', 'states.entity_kind', 'states.entity_id']) }} as entity_key,
        states.team_id,
        states.entity_kind,
        states.entity_id,
        states.user_id,
        states.project_id,
        states.dataset_id,
        states.image_id,
        states.class_id,
        states.job_id,

        -- event
        states.action,
        states.verb,
        states.verb_class,
        states.figure_source,
        states.entity_event_seq,

        -- state
        states.previous_state,
        states.state,
        -- a first create after other events is not a second create: those events came too early
        case
            when states.verb_class = 'create' and states.creates_before = 0 and states.previous_state <> 'absent'
                then 'create_after_first_events'
            else transitions.anomaly
        end as anomaly,

        -- timestamps
        states.occurred_at,
        {{ run_loaded_at() }} as loaded_at
    from states
    left join transitions
        on
            states.previous_state = transitions.previous_state
            and states.verb_class = transitions.verb_class
)

select * from final
