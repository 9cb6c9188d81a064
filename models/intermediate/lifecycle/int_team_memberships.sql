{#- One row per membership of a user in a team (grain: team_membership_id = team, member,
    membership_number): from `add_member` to `remove_member` (meta.id names the member).

    A member's add and remove events, in time order, are cut at every add. A member who acts,
    or is removed, before any add in the export was a member before the window: membership 0,
    with no start. -#}
with

activity as (
    select
        team_id,
        user_id,
        meta_target_id,
        action,
        event_id,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
),

member_activity as (
    select
        team_id,
        user_id as member_user_id,
        min(occurred_at) as first_activity_at,
        max(occurred_at) as last_activity_at
    from activity
    group by team_id, user_id
),

-- add and remove events name the member in meta.id; without it they cannot be placed (a warning
-- test counts them)
named_membership_events as (
    select
        activity.team_id,
        activity.meta_target_id as member_user_id,
        activity.user_id as actor_user_id,
        activity.action,
        activity.event_id,
        activity.occurred_at,
        -- a member seen acting before an add or remove was already a member
        coalesce(member_activity.first_activity_at < activity.occurred_at, false) as is_active_before
    from activity
    left join member_activity
        on
            activity.team_id = member_activity.team_id
            and activity.meta_target_id = member_activity.member_user_id
    where activity.action in ('add_member', 'remove_member') and activity.meta_target_id is not null
),

tie_ranked as (
    {{ open_close_tie_rank(
        'named_membership_events', ['team_id', 'member_user_id'], 'occurred_at',
        opens="action = 'add_member'", closes="action = 'remove_member'", initially_open='is_active_before',
    ) }}
),

membership_events as (
    select
        team_id,
        member_user_id,
        actor_user_id,
        action,
        occurred_at,
        cast(
            sum(case when action = 'add_member' then 1 else 0 end)
                over (
                    partition by team_id, member_user_id
                    order by occurred_at, open_close_rank, event_id
                    rows between unbounded preceding and current row
                )
            as {{ dbt.type_bigint() }}
        ) as membership_number,
        row_number() over (
            partition by team_id, member_user_id
            order by occurred_at, open_close_rank, event_id
        ) as member_event_seq
    from tie_ranked
),

first_adds as (
    select
        team_id,
        member_user_id,
        min(occurred_at) as first_added_at
    from membership_events
    where action = 'add_member'
    group by team_id, member_user_id
),

removes as (
    select
        *,
        min(member_event_seq) over (partition by team_id, member_user_id, membership_number) as first_remove_seq
    from membership_events
    where action = 'remove_member'
),

memberships_from_events as (
    select
        membership_events.team_id,
        membership_events.member_user_id,
        membership_events.membership_number,
        max(case when membership_events.action = 'add_member' then membership_events.actor_user_id end)
            as added_by_user_id,
        max(case when membership_events.action = 'add_member' then membership_events.occurred_at end) as added_at,
        max(case when removes.member_event_seq = removes.first_remove_seq then removes.actor_user_id end)
            as removed_by_user_id,
        max(case when removes.member_event_seq = removes.first_remove_seq then removes.occurred_at end)
            as removed_at,
        count(removes.member_event_seq) as removes,
        min(membership_events.occurred_at) as first_event_at
    from membership_events
    left join removes
        on
            membership_events.team_id = removes.team_id
            and membership_events.member_user_id = removes.member_user_id
            and membership_events.member_event_seq = removes.member_event_seq
    group by membership_events.team_id, membership_events.member_user_id, membership_events.membership_number
),

-- members seen acting before any add: their membership predates the export
memberships_before_window as (
    select
        member_activity.team_id,
        member_activity.member_user_id,
        0 as membership_number,
        cast(null as bigint) as added_by_user_id,
        cast(null as timestamp) as added_at,
        cast(null as bigint) as removed_by_user_id,
        cast(null as timestamp) as removed_at,
        0 as removes,
        member_activity.first_activity_at as first_event_at
    from member_activity
    left join first_adds
        on
            member_activity.team_id = first_adds.team_id
            and member_activity.member_user_id = first_adds.member_user_id
    left join memberships_from_events
        on
            member_activity.team_id = memberships_from_events.team_id
            and member_activity.member_user_id = memberships_from_events.member_user_id
            and memberships_from_events.membership_number = 0
    where
        memberships_from_events.member_user_id is null
        and (first_adds.first_added_at is null or member_activity.first_activity_at < first_adds.first_added_at)
),

memberships as (
    select * from memberships_from_events
    union all
    select * from memberships_before_window
),

bounded as (
    select
        memberships.*,
        member_activity.first_activity_at,
        lead(memberships.added_at) over (
            partition by memberships.team_id, memberships.member_user_id order by memberships.membership_number
        ) as next_added_at
    from memberships
    left join member_activity
        on
            memberships.team_id = member_activity.team_id
            and memberships.member_user_id = member_activity.member_user_id
),

final as (
    select
        -- ids
        {{ generate_surrogate_key(['team_id', 'member_user_id', 'membership_number']) }} as team_membership_id,
        team_id,
        member_user_id,
        added_by_user_id,
        removed_by_user_id,
        membership_number,

        -- flags
        membership_number = 0 as is_member_before_window,
        removed_at is null and next_added_at is null as is_current,
        removes > 1 as has_repeated_remove,
        removed_at is null and next_added_at is not null as is_readded_without_remove,

        -- validity: a membership from before the window starts at the member's first trace
        added_at,
        removed_at,
        case
            when membership_number > 0 then added_at
            when first_activity_at is null then first_event_at
            else least(first_activity_at, first_event_at)
        end as valid_from,
        coalesce(removed_at, next_added_at) as valid_to
    from bounded
)

select * from final
