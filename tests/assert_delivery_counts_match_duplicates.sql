-- Each event's delivery_count is 1 plus the duplicate rows that point at it, and every raw row
-- the parse kept as trusted is either the event or one of those duplicates.
with

events as (
    select
        event_id,
        delivery_count
    from {{ ref('stg_supervisely__activity') }}
),

duplicates as (
    select
        duplicate_of_event_id as event_id,
        count(*) as duplicate_rows
    from {{ ref('stg_supervisely__activity_duplicates') }}
    group by duplicate_of_event_id
)

select
    events.event_id,
    events.delivery_count,
    duplicates.duplicate_rows
from events
left join duplicates
    on events.event_id = duplicates.event_id
where events.delivery_count <> 1 + coalesce(duplicates.duplicate_rows, 0)
