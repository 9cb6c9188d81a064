{#- One row per membership interval of a member in a team (grain: team_membership_id; team_id,
    member_user_id, membership_number): from `add_member` (or before the export) to
    `remove_member` (or still a member), with the days of the team's export window it covers. -#}
with

team_memberships as (
    select
        team_membership_id,
        team_id,
        member_user_id,
        added_by_user_id,
        removed_by_user_id,
        membership_number,
        is_member_before_window,
        is_current,
        has_repeated_remove,
        is_readded_without_remove,
        added_at,
        removed_at,
        valid_from,
        valid_to
    from {{ ref('int_team_memberships') }}
),

-- the team's export window: the UTC days from its first event to its last
team_windows as (
    select
        team_id,
        cast(log_started_at as date) as window_first_date,
        cast(log_ended_at as date) as window_last_date
    from {{ ref('int_team_log_windows') }}
),

-- a membership from before the export runs from the window's start; an open one to its end
membership_spans as (
    select
        team_memberships.*,
        greatest(
            coalesce(cast(team_memberships.added_at as date), team_windows.window_first_date),
            team_windows.window_first_date
        ) as member_first_date,
        least(
            coalesce(cast(team_memberships.valid_to as date), team_windows.window_last_date),
            team_windows.window_last_date
        ) as member_last_date
    from team_memberships
    left join team_windows
        on team_memberships.team_id = team_windows.team_id
),

final as (
    select
        -- ids
        team_membership_id,
        team_id,
        member_user_id,
        added_by_user_id,
        removed_by_user_id,

        -- numbers
        membership_number,
        -- UTC days of the window on which the member belonged to the team, for some of the day
        cast(
            -- dbt's cross-database datediff compiles to one long line
            greatest({{ dbt.datediff('member_first_date', 'member_last_date', 'day') }} + 1, 0)  -- noqa: LT05
            as {{ dbt.type_bigint() }}
        ) as days_as_member,

        -- booleans
        is_member_before_window,
        is_current,
        has_repeated_remove,
        is_readded_without_remove,

        -- timestamps
        added_at,
        removed_at,
        valid_from,
        valid_to
    from membership_spans
)

select * from final
