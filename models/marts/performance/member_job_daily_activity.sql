{#- One row per team, member, labeling job and member's day (grain: member_job_day_id, that is
    team_id, user_id, job_id, activity_date; job_id is null for work outside any job): the
    additive measures of a member's work in a job, with the job's project. The fact table of the
    semantic layer for the project and job dimensions: its rows sum to user_daily_activity's
    counts per member and day. -#}
with

member_job_days as (
    select * from {{ ref('int_member_job_days') }}
),

labeling_jobs as (
    select
        team_id,
        job_id,
        project_id
    from {{ ref('labeling_jobs') }}
),

final as (
    select
        -- ids
        member_job_days.member_job_day_id,
        member_job_days.team_id,
        member_job_days.user_id,
        member_job_days.job_id,
        labeling_jobs.project_id,

        -- counts
        {%- for measure in member_job_day_measures() if measure not in ('visit_active_seconds', 'review_seconds') %}
        cast(member_job_days.{{ measure }} as {{ dbt.type_bigint() }}) as {{ measure }},
        {%- endfor %}

        -- time, seconds: whole visits, on the day they ended
        member_job_days.visit_active_seconds,
        member_job_days.review_seconds,

        -- dates
        member_job_days.activity_date
    from member_job_days
    left join labeling_jobs
        on
            member_job_days.team_id = labeling_jobs.team_id
            and member_job_days.job_id = labeling_jobs.job_id
)

select * from final
