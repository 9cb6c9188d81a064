{#- One row per team, model and UTC day with an event on the model (grain: team_id, model_id,
    activity_date): trainings, inferences, who worked with it, and its lifecycle changes. -#}
with

model_events as (
    select
        event_id,
        team_id,
        entity_id as model_id,
        user_id,
        verb,
        verb_class,
        occurred_at,
        cast(occurred_at as date) as activity_date
    from {{ ref('int_entity_events') }}
    where entity_kind = 'model'
),

model_days as (
    select
        team_id,
        model_id,
        activity_date,
        count(*) as events,
        count(case when verb = 'train' then 1 end) as trainings,
        count(case when verb = 'infer' then 1 end) as inferences,
        count(case when verb_class = 'create' then 1 end) as creates,
        count(case when verb_class = 'disable' then 1 end) as disables,
        count(case when verb_class = 'restore' then 1 end) as restores,
        count(distinct user_id) as users,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from model_events
    group by team_id, model_id, activity_date
),

final as (
    select
        -- ids
        team_id,
        model_id,

        -- numbers
        events,
        trainings,
        inferences,
        creates,
        disables,
        restores,
        users,

        -- dates and timestamps
        activity_date,
        first_event_at,
        last_event_at
    from model_days
)

select * from final
