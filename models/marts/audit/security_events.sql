{#- One row per security-relevant event (grain: event_id): the actions of the catalog's `auth`,
    `membership` and `account` categories (logins, logouts, members added and removed, e-mail
    changes). Personal data only as staging's salted hashes; no display names. -#}
with

action_catalog as (
    select
        action,
        verb,
        category
    from {{ ref('activity_action_catalog') }}
    where category in ('auth', 'membership', 'account')
),

activity as (
    select
        event_id,
        team_id,
        user_id,
        meta_target_id,
        action,
        ip_hash,
        old_email_hash,
        new_email_hash,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
),

security_activity as (
    select
        activity.*,
        action_catalog.verb,
        action_catalog.category as action_category
    from activity
    inner join action_catalog
        on activity.action = action_catalog.action
),

final as (
    select
        -- ids
        event_id,
        team_id,
        user_id,
        -- membership events name the member added or removed in meta.id
        case when action_category = 'membership' then meta_target_id end as member_user_id,

        -- strings
        action_category,
        action,
        verb,
        ip_hash,
        old_email_hash,
        new_email_hash,

        -- timestamps
        occurred_at
    from security_activity
)

select * from final
