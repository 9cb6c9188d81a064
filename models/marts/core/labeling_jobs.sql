{#- One row per team and labeling job (grain: team_id, job_id): every job an event names, with its
    latest display name, where it sits, when it was active, and how much it touched.
    Incremental: a job is rebuilt from all its events when a new event names it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'job_id'],
    on_schema_change='fail',
) }}
with

activity as (
    select
        event_id,
        team_id,
        user_id,
        project_id,
        dataset_id,
        image_id,
        job_id,
        job_name,
        occurred_at
    from {{ ref('stg_supervisely__activity') }}
    where job_id is not null
    {%- if is_incremental() %}
        and (team_id, job_id) in (
            select new_activity.team_id, new_activity.job_id
            from {{ ref('stg_supervisely__activity') }} as new_activity
            where new_activity.job_id is not null and {{ is_new_input('new_activity') }}
        )
    {%- endif %}
),

jobs as (
    select
        team_id,
        job_id,
        {{ latest_non_null('job_name', ['occurred_at', 'event_id']) }} as job_name,
        {{ latest_non_null('project_id', ['occurred_at', 'event_id']) }} as project_id,
        {{ latest_non_null('dataset_id', ['occurred_at', 'event_id']) }} as dataset_id,
        count(distinct job_name) as distinct_names,
        count(*) as events,
        count(distinct image_id) as images_touched,
        count(distinct user_id) as members_worked,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from activity
    group by team_id, job_id
),

final as (
    select
        -- ids
        team_id,
        job_id,
        project_id,
        dataset_id,

        -- strings
        job_name,

        -- numbers
        distinct_names,
        events,
        images_touched,
        members_worked,

        -- timestamps
        first_event_at,
        last_event_at,

        {{ run_loaded_at() }} as loaded_at
    from jobs
)

select * from final
