{#- The figure and tag actions counted in item visits never exceed the member's actions on the
    item: no action counts in two visits. Returns the (team, member, item) where they do. -#}
with

counted as (
    select
        team_id,
        user_id,
        image_id,
        sum(
            figures_created + figures_updated + figures_disabled + figures_restored
            + tags_attached + tag_values_updated + tags_detached
        ) as actions_in_visits
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
            'create_figure', 'update_figure', 'disable_figure', 'restore_figure',
            'attach_tag', 'update_tag_value', 'detach_tag'
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
