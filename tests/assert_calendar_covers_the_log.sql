{#- The calendar runs from the day before the first day of the activity log to the day after its last, with no
    day missing (its numbers are finite: a log spanning thousands of years, from a wrong date,
    would be cut short). Returns a row when it does not. -#}
with

calendar as (
    select
        min(epoch_day) as first_day,
        max(epoch_day) as last_day,
        count(*) as days
    from {{ ref('int_calendar_days') }}
),

activity_span as (
    select
        {{ epoch_day(epoch_microseconds('min(occurred_at)')) }} - 1 as first_day,
        {{ epoch_day(epoch_microseconds('max(occurred_at)')) }} + 1 as last_day
    from {{ ref('stg_supervisely__activity') }}
)

select
    calendar.first_day,
    calendar.last_day,
    calendar.days,
    activity_span.first_day as log_first_day,
    activity_span.last_day as log_last_day
from calendar
cross join activity_span
where
    activity_span.first_day is not null
    and (
        calendar.first_day is distinct from activity_span.first_day
        or calendar.last_day is distinct from activity_span.last_day
        or calendar.days <> activity_span.last_day - activity_span.first_day + 1
    )
