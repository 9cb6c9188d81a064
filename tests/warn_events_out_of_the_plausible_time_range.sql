{{ config(severity='warn') }}
{#- Events dated before 2000 or more than a day after they were loaded are kept (the record parsed),
    but are surely wrong clocks or typos: they stretch the calendar, sessions and lifecycles. A
    warning lists them by file so they can be fixed at the source. -#}
select
    source_file,
    count(*) as events,
    min(occurred_at) as earliest,
    max(occurred_at) as latest
from {{ ref('stg_supervisely__activity') }}
where
    occurred_at < cast('2000-01-01' as timestamp)
    or occurred_at > {{ dbt.dateadd('day', 1, 'loaded_at') }}
group by source_file
