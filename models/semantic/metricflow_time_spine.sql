{#- One row per UTC day the activity log covers, plus a day either side (grain: date_day): the
    time spine MetricFlow joins metrics to. The calendar's range, so it grows with the log. -#}
with

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select calendar_date as date_day
    from calendar_days
)

select * from final
