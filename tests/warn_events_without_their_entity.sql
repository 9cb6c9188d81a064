{{ config(severity='warn') }}
{#- Events the intermediate layer cannot place, although staging keeps them: a plugin, node,
    workspace, model or member event whose `meta.id` is missing (the public docs leave it
    unspecified), or a tag event that names neither an item nor a figure. They stay in
    stg_supervisely__activity and count in every per-event measure; a warning lists them. -#}
with

activity as (
    select * from {{ ref('stg_supervisely__activity') }}
),

action_catalog as (
    select * from {{ ref('activity_action_catalog') }}
)

select
    activity.action,
    count(*) as events
from activity
inner join action_catalog
    on activity.action = action_catalog.action
where
    (action_catalog.entity_id_column = 'meta_target_id' and activity.meta_target_id is null)
    or (action_catalog.entity_kind = 'tag' and activity.image_id is null and activity.figure_id is null)
group by activity.action
