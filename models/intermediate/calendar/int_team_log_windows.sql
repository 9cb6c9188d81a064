{#- One row per team (grain: team_id): the span of its activity log, from its first event to its
    last — the export window, which lifetimes still running and open memberships end at. -#}
with

activity as (
    select
        team_id,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
),

final as (
    select
        team_id,
        count(*) as events,
        min(occurred_at) as log_started_at,
        max(occurred_at) as log_ended_at
    from activity
    group by team_id
)

select * from final
