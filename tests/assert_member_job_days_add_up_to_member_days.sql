{#- A member's jobs add up to their day: member_job_daily_activity, summed over jobs, equals
    user_daily_activity for every count both publish, so the semantic layer's job and project
    breakdowns add up to its member totals. Returns the member-days that differ, either way. -#}
{%- set measures = ['events', 'figures_created', 'figures_updated', 'figures_disabled', 'figures_restored',
    'items_submitted', 'reviews_performed', 'accepted_as_labeler', 'rejected_as_labeler', 'visits'] %}
with

member_days as (
    select * from {{ ref('user_daily_activity') }}
),

job_days as (
    select
        team_id,
        user_id,
        activity_date,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }},
        {%- endfor %}
        sum(review_seconds) as review_seconds
    from {{ ref('member_job_daily_activity') }}
    group by team_id, user_id, activity_date
)

select
    coalesce(member_days.team_id, job_days.team_id) as team_id,
    coalesce(member_days.user_id, job_days.user_id) as user_id,
    coalesce(member_days.activity_date, job_days.activity_date) as activity_date
from member_days
full outer join job_days
    on
        member_days.team_id = job_days.team_id
        and member_days.user_id = job_days.user_id
        and member_days.activity_date = job_days.activity_date
where
    {%- for measure in measures %}
    coalesce(member_days.{{ measure }}, 0) != coalesce(job_days.{{ measure }}, 0)
    or
    {%- endfor %}
    abs(coalesce(member_days.review_seconds, 0) - coalesce(job_days.review_seconds, 0)) > 0.000001
