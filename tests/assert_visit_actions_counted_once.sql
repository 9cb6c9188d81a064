{#- The figure and tag actions counted in item visits never exceed the member's actions on the
    item: no action counts in two visits. Returns the (team, member, item) where they do. -#}
with

counted as (
    select
        team_id,
        user_id,
        image_id,
        sum({{ item_action_measures().values() | join(' + ') }}) as actions_in_visits
    from {{ ref('int_item_visits') }}
    group by team_id, user_id, image_id
),

logged as (
    select
        team_id,
        user_id,
        image_id,
        count(*) as actions
    from {{ ref('stg_supervisely__activity') }}
    where
        action in (
            {%- for action in item_action_measures() %}
            '{{ action }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
        and image_id is not null
    group by team_id, user_id, image_id
)

select
    counted.*,
    coalesce(logged.actions, 0) as actions
from counted
left join logged
    on
        counted.team_id = logged.team_id
        and counted.user_id = logged.user_id
        and counted.image_id = logged.image_id
where counted.actions_in_visits > coalesce(logged.actions, 0)
