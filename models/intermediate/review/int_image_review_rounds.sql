{#- One row per review round of an item (grain: team_id, image_id, round_number): a submission
    by its labeler and the verdicts and resets until the next submission. Round 0 gathers the
    changes before the item's first submission in the export (its submission came earlier).

    Incremental: an item whose status changes int_image_review_status_changes rewrote since the
    last run is rebuilt from all its changes (a late change can renumber its rounds). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['team_id', 'image_id'],
    on_schema_change='fail',
) }}
with

status_changes as (
    select * from {{ ref('int_image_review_status_changes') }}
    {%- if is_incremental() %}
    where (team_id, image_id) in (
        select new_changes.team_id, new_changes.image_id
        from {{ ref('int_image_review_status_changes') }} as new_changes
        where {{ is_new_input('new_changes') }}
    )
    {%- endif %}
),

ranked as (
    select
        *,
        row_number() over (
            partition by team_id, image_id, round_number, is_verdict order by status_seq
        ) as verdict_order,
        row_number() over (
            partition by team_id, image_id, round_number, is_verdict order by status_seq desc
        ) as verdict_recency,
        row_number() over (partition by team_id, image_id, round_number order by status_seq desc) as recency
    from status_changes
),

rounds as (
    select
        team_id,
        image_id,
        round_number,
        max(project_id) as project_id,
        max(dataset_id) as dataset_id,
        max(job_id) as job_id,
        max(labeler_user_id) as labeler_user_id,
        max(submitted_at) as submitted_at,
        max(case when is_verdict and verdict_order = 1 then changed_by_user_id end) as reviewer_user_id,
        max(case when is_verdict and verdict_order = 1 then review_status end) as first_verdict,
        max(case when is_verdict and verdict_order = 1 then changed_at end) as first_verdict_at,
        max(case when is_verdict and verdict_order = 1 then seconds_since_submission end)
            as seconds_to_first_verdict,
        max(case when is_verdict and verdict_recency = 1 then changed_by_user_id end) as last_reviewer_user_id,
        max(case when recency = 1 then review_status end) as round_status,
        cast(sum(case when is_verdict then 1 else 0 end) as {{ dbt.type_bigint() }}) as verdicts,
        cast(sum(case when is_acceptance then 1 else 0 end) as {{ dbt.type_bigint() }}) as acceptances,
        cast(sum(case when is_rejection then 1 else 0 end) as {{ dbt.type_bigint() }}) as rejections,
        cast(sum(case when review_status = 'quality_check_accepted' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as quality_check_acceptances,
        cast(sum(case when sends_back_to_labeler then 1 else 0 end) as {{ dbt.type_bigint() }}) as sends_back,
        min(changed_at) as first_change_at,
        max(changed_at) as last_change_at
    from ranked
    group by team_id, image_id, round_number
),

final as (
    select
        -- ids
        {{ generate_surrogate_key(['team_id', 'image_id', 'round_number']) }} as review_round_id,
        team_id,
        image_id,
        project_id,
        dataset_id,
        job_id,
        labeler_user_id,
        reviewer_user_id,
        last_reviewer_user_id,

        -- round
        round_number,
        first_verdict,
        round_status,
        verdicts,
        acceptances,
        rejections,
        quality_check_acceptances,
        sends_back,
        seconds_to_first_verdict,

        -- flags
        round_number = 0 as is_before_first_submission,
        round_status in ('rejected', 'none') as is_sent_back,

        -- timestamps
        submitted_at,
        first_verdict_at,
        first_change_at,
        last_change_at,
        {{ run_loaded_at() }} as loaded_at
    from rounds
)

select * from final
