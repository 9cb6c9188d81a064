{#- One row per team and user (grain: team_id, user_id): everyone who acted in the team's export
    or was added to or removed from it. Display names are personal data: published as a salted
    hash and a neutral label, and in clear only when the var `publish_user_names` is true. -#}
{%- set publish_user_names = var('publish_user_names', false) | string | lower in ['true', '1', 'yes'] %}
with

activity as (
    select
        event_id,
        team_id,
        user_id,
        user_name,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
),

team_memberships as (
    select
        team_id,
        member_user_id,
        is_current,
        added_at,
        removed_at
    from {{ ref('int_team_memberships') }}
),

-- the user's own events, and the name on the latest of them that carries one
user_activity as (
    select
        team_id,
        user_id,
        {{ latest_non_null('user_name', ['occurred_at', 'event_id']) }} as latest_user_name,
        count(*) as events,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from activity
    group by team_id, user_id
),

user_memberships as (
    select
        team_id,
        member_user_id as user_id,
        count(*) as memberships,
        max(case when is_current then 1 else 0 end) = 1 as is_current_member,
        min(added_at) as first_added_at,
        max(added_at) as last_added_at,
        max(removed_at) as last_removed_at
    from team_memberships
    group by team_id, member_user_id
),

users as (
    select
        team_id,
        user_id
    from user_activity
    union
    select
        team_id,
        user_id
    from user_memberships
),

final as (
    select
        -- ids
        users.team_id,
        users.user_id,

        -- strings
        'user ' || cast(users.user_id as {{ dbt.type_string() }}) as user_label,
        {{ hash_pii('user_activity.latest_user_name') }} as user_name_hash,
        {%- if publish_user_names %}
        user_activity.latest_user_name as user_name,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as user_name,
        {%- endif %}

        -- numbers
        cast(coalesce(user_activity.events, 0) as bigint) as events,
        cast(coalesce(user_memberships.memberships, 0) as bigint) as memberships,

        -- booleans
        coalesce(user_memberships.is_current_member, false) as is_current_member,

        -- timestamps
        user_activity.first_event_at,
        user_activity.last_event_at,
        least(user_activity.first_event_at, user_memberships.first_added_at) as first_seen_at,
        greatest(
            user_activity.last_event_at, user_memberships.last_added_at, user_memberships.last_removed_at
        ) as last_seen_at
    from users
    left join user_activity
        on
            users.team_id = user_activity.team_id
            and users.user_id = user_activity.user_id
    left join user_memberships
        on
            users.team_id = user_memberships.team_id
            and users.user_id = user_memberships.user_id
)

select * from final
