{#- One row per day from the day before the first day of the activity log to the day after
    its last, so that every member's local day is in it (grain: calendar_date): the spine that spreads long intervals over the days they cover.
    Six digits of numbers reach 2,737 years; a test fails if the log spans more. -#}
with

activity_span as (
    select
        {{ epoch_day(epoch_microseconds('min(occurred_at)')) }} - 1 as first_day,
        {{ epoch_day(epoch_microseconds('max(occurred_at)')) }} + 1 as last_day
    from {{ ref('stg_supervisely__activity') }}
),

numbers as (
    {{ numbers(6) }}
),

final as (
    select
        activity_span.first_day + numbers.n as epoch_day,
        {{ date_from_epoch_day('activity_span.first_day + numbers.n') }} as calendar_date
    from activity_span
    inner join numbers
        on numbers.n <= activity_span.last_day - activity_span.first_day
)

select * from final
