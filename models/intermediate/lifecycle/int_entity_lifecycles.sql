{#- One row per entity with a lifecycle (grain: entity_key = team_id, entity_kind, entity_id):
    when and by whom it was created, how often it was updated, disabled and restored, its state
    now, and the sequences the platform should never produce. An entity that only other events
    name (a dataset of a project made before the export, say) has a row too: it was created
    before the window.

    Incremental: an entity is rebuilt, from all its events and all events that name it, when
    int_entity_events rewrote its events since the last run or a new event names it in an id
    column; other entities are not touched. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'entity_kind', 'entity_id'],
    on_schema_change='fail',
) }}
{%- set referenced_kinds = [
    ('project', 'project_id'), ('dataset', 'dataset_id'), ('image', 'image_id'),
    ('class', 'class_id'), ('figure', 'figure_id'),
] -%}

with
{%- if is_incremental() %}

-- entities whose own events changed, and entities that new events name
changed_entities as (
    select
        new_entity_events.team_id,
        new_entity_events.entity_kind,
        new_entity_events.entity_id
    from {{ ref('int_entity_events') }} as new_entity_events
    where {{ is_new_input('new_entity_events') }}
    {%- for kind, column in referenced_kinds %}
    union
    select
        new_activity.team_id,
        '{{ kind }}' as entity_kind,
        new_activity.{{ column }} as entity_id
    from {{ ref('stg_supervisely__activity') }} as new_activity
    where new_activity.{{ column }} is not null and {{ is_new_input('new_activity') }}
    {%- endfor %}
),
{%- endif %}

entity_events as (
    select * from {{ ref('int_entity_events') }}
    {%- if is_incremental() %}
    where (team_id, entity_kind, entity_id) in (
        select changed_entities.team_id, changed_entities.entity_kind, changed_entities.entity_id
        from changed_entities
    )
    {%- endif %}
),

activity as (
    select * from {{ ref('stg_supervisely__activity') }}
),

-- other events name an entity through their id columns: when was each first and last named
references_by_kind as (
    {%- for kind, column in referenced_kinds %}
    select
        team_id,
        '{{ kind }}' as entity_kind,
        {{ column }} as entity_id,
        count(*) as referencing_events,
        min(occurred_at) as first_referenced_at,
        max(occurred_at) as last_referenced_at
    from activity
    where {{ column }} is not null
    {%- if is_incremental() %}
        -- every event that names a changed entity, for its counts and first and last times
        and (team_id, {{ column }}) in (
            select changed_entities.team_id, changed_entities.entity_id
            from changed_entities
            where changed_entities.entity_kind = '{{ kind }}'
        )
    {%- endif %}
    group by team_id, {{ column }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

first_creates as (
    select
        entity_key,
        user_id as created_by_user_id,
        occurred_at as created_at,
        entity_event_seq as create_seq,
        project_id,
        dataset_id,
        image_id,
        class_id,
        job_id,
        figure_source
    from (
        select
            *,
            row_number() over (partition by entity_key order by entity_event_seq) as create_number
        from entity_events
        where verb_class = 'create'
    ) as creates
    where create_number = 1
),

latest_events as (
    select
        entity_key,
        state,
        project_id,
        dataset_id,
        image_id,
        class_id,
        job_id
    from (
        select
            *,
            row_number() over (partition by entity_key order by entity_event_seq desc) as recency
        from entity_events
    ) as ranked
    where recency = 1
),

editors as (
    select
        entity_key,
        count(distinct user_id) as editor_count
    from entity_events
    where verb_class in ('create', 'update')
    group by entity_key
),

event_counts as (
    select
        entity_key,
        team_id,
        entity_kind,
        entity_id,
        count(*) as event_count,
        {{ count_by_value('verb_class', {
            'create': 'create_count', 'update': 'update_count', 'disable': 'disable_count',
            'restore': 'restore_count', 'use': 'use_count',
        }) }},
        {{ count_by_value('anomaly', {
            'restore_without_disable': 'restores_without_disable',
            'disabled_twice': 'disables_while_disabled',
            'event_while_disabled': 'events_while_disabled',
        }) }},
        cast(
            sum(case when anomaly in ('created_twice', 'created_while_disabled') then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as repeated_creates,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        max(case when verb_class = 'update' then occurred_at end) as last_updated_at,
        max(case when verb_class = 'disable' then occurred_at end) as last_disabled_at,
        max(case when verb_class = 'restore' then occurred_at end) as last_restored_at
    from entity_events
    group by entity_key, team_id, entity_kind, entity_id
),

entities as (
    select
        coalesce(
            event_counts.entity_key,
            {{ generate_surrogate_key([
                'references_by_kind.team_id', 'references_by_kind.entity_kind', 'references_by_kind.entity_id'
            ]) }}
        ) as entity_key,
        coalesce(event_counts.team_id, references_by_kind.team_id) as team_id,
        coalesce(event_counts.entity_kind, references_by_kind.entity_kind) as entity_kind,
        coalesce(event_counts.entity_id, references_by_kind.entity_id) as entity_id,
        event_counts.event_count,
        event_counts.create_count,
        event_counts.update_count,
        event_counts.disable_count,
        event_counts.restore_count,
        event_counts.use_count,
        event_counts.restores_without_disable,
        event_counts.disables_while_disabled,
        event_counts.events_while_disabled,
        event_counts.repeated_creates,
        event_counts.first_event_at,
        event_counts.last_event_at,
        event_counts.last_updated_at,
        event_counts.last_disabled_at,
        event_counts.last_restored_at,
        references_by_kind.referencing_events,
        references_by_kind.first_referenced_at,
        references_by_kind.last_referenced_at
    from event_counts
    full outer join references_by_kind
        on
            event_counts.team_id = references_by_kind.team_id
            and event_counts.entity_kind = references_by_kind.entity_kind
            and event_counts.entity_id = references_by_kind.entity_id
),

final as (
    select
        -- ids
        entities.entity_key,
        entities.team_id,
        entities.entity_kind,
        entities.entity_id,
        first_creates.created_by_user_id,
        coalesce(first_creates.project_id, latest_events.project_id) as project_id,
        coalesce(first_creates.dataset_id, latest_events.dataset_id) as dataset_id,
        coalesce(first_creates.image_id, latest_events.image_id) as image_id,
        coalesce(first_creates.class_id, latest_events.class_id) as class_id,
        coalesce(first_creates.job_id, latest_events.job_id) as job_id,

        -- state
        coalesce(latest_events.state, 'active') as current_state,
        case
            when entities.entity_kind = 'figure' and first_creates.entity_key is not null
                then coalesce(first_creates.figure_source, 'manual')
        end as figure_source,

        -- counts
        coalesce(entities.event_count, 0) as event_count,
        coalesce(entities.create_count, 0) as create_count,
        coalesce(entities.update_count, 0) as update_count,
        coalesce(entities.disable_count, 0) as disable_count,
        coalesce(entities.restore_count, 0) as restore_count,
        coalesce(entities.use_count, 0) as use_count,
        coalesce(editors.editor_count, 0) as editor_count,
        coalesce(entities.referencing_events, 0) as referencing_events,
        coalesce(entities.restores_without_disable, 0) as restores_without_disable,
        coalesce(entities.disables_while_disabled, 0) as disables_while_disabled,
        coalesce(entities.events_while_disabled, 0) as events_while_disabled,
        coalesce(entities.repeated_creates, 0) as repeated_creates,

        -- flags
        first_creates.entity_key is null as is_created_before_window,
        coalesce(first_creates.create_seq > 1, false) as has_event_before_create,
        coalesce(entities.restores_without_disable > 0, false) as has_restore_without_disable,
        coalesce(entities.disables_while_disabled > 0, false) as has_disable_while_disabled,
        coalesce(entities.events_while_disabled > 0, false) as has_event_while_disabled,
        coalesce(entities.repeated_creates > 0, false) as has_repeated_create,
        entities.event_count is null as is_seen_only_in_references,

        -- timestamps
        first_creates.created_at,
        entities.last_updated_at,
        entities.last_disabled_at,
        entities.last_restored_at,
        entities.first_event_at,
        entities.last_event_at,
        case
            when entities.first_referenced_at is null then entities.first_event_at
            when entities.first_event_at is null then entities.first_referenced_at
            else least(entities.first_event_at, entities.first_referenced_at)
        end as first_seen_at,
        case
            when entities.last_referenced_at is null then entities.last_event_at
            when entities.last_event_at is null then entities.last_referenced_at
            else greatest(entities.last_event_at, entities.last_referenced_at)
        end as last_seen_at,
        {{ run_loaded_at() }} as loaded_at
    from entities
    left join first_creates
        on entities.entity_key = first_creates.entity_key
    left join latest_events
        on entities.entity_key = latest_events.entity_key
    left join editors
        on entities.entity_key = editors.entity_key
)

select * from final
