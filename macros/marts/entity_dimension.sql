{#- The body of a dimension of entities with a lifecycle (projects, datasets, classes): one row
    per team and entity of `entity_kind` that int_entity_lifecycles knows, with its latest
    display name (the name on the latest event that names it and carries one), its parent ids
    (`parent_columns`, as int_entity_lifecycles records them), state and when it was first and
    last seen. One piece of logic for every kind: the models differ only in their arguments. -#}
{% macro entity_dimension(entity_kind, id_column, name_column, parent_columns=[]) -%}
with

entity_lifecycles as (
    select
        team_id,
        entity_id,
        {%- for column in parent_columns %}
        {{ column }},
        {%- endfor %}
        created_by_user_id,
        current_state,
        is_created_before_window,
        created_at,
        first_seen_at,
        last_seen_at
    from {{ ref('int_entity_lifecycles') }}
    where entity_kind = '{{ entity_kind }}'
),

activity as (
    select
        event_id,
        team_id,
        {{ id_column }},
        {{ name_column }},
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
    where {{ id_column }} is not null
),

-- the name on the latest event that names the entity and carries a name
entity_names as (
    select
        team_id,
        {{ id_column }} as entity_id,
        {{ latest_non_null(name_column, ['occurred_at', 'event_id']) }} as latest_name,
        count(distinct {{ name_column }}) as distinct_names
    from activity
    group by team_id, {{ id_column }}
),

final as (
    select
        -- ids
        entity_lifecycles.team_id,
        entity_lifecycles.entity_id as {{ id_column }},
        {%- for column in parent_columns %}
        entity_lifecycles.{{ column }},
        {%- endfor %}
        entity_lifecycles.created_by_user_id,

        -- strings
        entity_names.latest_name as {{ name_column }},
        entity_lifecycles.current_state,

        -- numbers
        cast(coalesce(entity_names.distinct_names, 0) as bigint) as distinct_names,

        -- booleans
        entity_lifecycles.is_created_before_window,

        -- timestamps
        entity_lifecycles.created_at,
        entity_lifecycles.first_seen_at,
        entity_lifecycles.last_seen_at
    from entity_lifecycles
    left join entity_names
        on
            entity_lifecycles.team_id = entity_names.team_id
            and entity_lifecycles.entity_id = entity_names.entity_id
)

select * from final
{%- endmacro %}
