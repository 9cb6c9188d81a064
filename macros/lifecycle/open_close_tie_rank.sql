{#- Events that open and close something (create/restore and disable of an entity, add and
    remove of a member, attach and detach of a tag) can share an instant. Their order then
    decides the state, so it must not be left to an arbitrary key: when the thing was open
    before the instant, the close comes first (it was closed and opened again); when it was
    closed, the open comes first (opened and closed at once). Either way an instant holding
    both leaves the state as it found it, so the state before each instant follows from the
    latest instant that held only opens or only closes.

    Renders a select over `relation` with one more column, `open_close_rank`, to order an
    instant's events by: 1 for the first of its opens and closes, 3 for the second; other events
    (updates, uses) go where the thing is open, 0 (before the close) when it was open, 2 (after
    the open) when it was closed. `initially_open` is a boolean expression over `relation`'s
    columns: whether the thing counts as open at an instant before any instant that decides
    (e.g. a member seen acting before their first add). -#}
{% macro open_close_tie_rank(relation, partition_by, time_column, opens, closes, initially_open='false') -%}
    {%- set partition_list = partition_by | join(', ') -%}
    with

    tie_instants as (
        select
            {{ partition_list }},
            {{ time_column }},
            max(case when {{ opens }} then 1 else 0 end) as has_open,
            max(case when {{ closes }} then 1 else 0 end) as has_close,
            max(case when {{ initially_open }} then 1 else 0 end) as is_initially_open
        from {{ relation }}
        group by {{ partition_list }}, {{ time_column }}
    ),

    tie_decisive as (
        select
            *,
            -- 4 * position + (1: only opens, 2: only closes): a running max finds the latest
            max(
                case
                    when has_open = 1 and has_close = 0 then 1
                    when has_close = 1 and has_open = 0 then 2
                end
                + 4 * instant_seq
            ) over (
                partition by {{ partition_list }} order by instant_seq
                rows between unbounded preceding and 1 preceding
            ) as latest_decisive_before
        from (
            select
                *,
                row_number() over (partition by {{ partition_list }} order by {{ time_column }}) as instant_seq
            from tie_instants
        ) as numbered
    ),

    tie_states as (
        select
            {{ partition_list }},
            {{ time_column }},
            case
                when latest_decisive_before is null then is_initially_open = 1
                else mod(latest_decisive_before, 4) = 1
            end as is_open_before
        from tie_decisive
    )

    select
        tie_events.*,
        case
            when {{ opens }} then case when tie_states.is_open_before then 3 else 1 end
            when {{ closes }} then case when tie_states.is_open_before then 1 else 3 end
            when tie_states.is_open_before then 0
            else 2
        end as open_close_rank
    from {{ relation }} as tie_events
    inner join tie_states
        on
            {%- for column in partition_by %}
            tie_events.{{ column }} is not distinct from tie_states.{{ column }} and
            {%- endfor %}
            tie_events.{{ time_column }} = tie_states.{{ time_column }}
{%- endmacro %}
