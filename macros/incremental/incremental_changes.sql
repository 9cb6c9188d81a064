{#- How incremental models find their new input. Every incremental model has a `loaded_at` column:
    when the row was last written, the same instant (dbt's run_started_at) for every model of a run.
    A model's input changed since its last run where the input's loaded_at is later than the
    latest loaded_at the model holds. A model that failed or was skipped in a run so picks up that
    run's changes in the next one, and a rerun with nothing new finds nothing. -#}

{#- The loaded_at of rows written by this run. -#}
{% macro run_loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- The latest loaded_at this model holds: input loaded after it is new. Only inside
    `{% if is_incremental() %}`. -#}
{% macro incremental_watermark() -%}
    (select coalesce(max(loaded_at), cast('1970-01-01' as timestamp)) from {{ this }})
{%- endmacro %}

{#- A condition on `relation_alias`.loaded_at: true for every row on a full build, for rows loaded
    since this model's last run on an incremental one. -#}
{% macro is_new_input(relation_alias='') -%}
    {%- if is_incremental() -%}
        {{ relation_alias ~ '.' if relation_alias }}loaded_at > {{ incremental_watermark() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The members whose rows in `relation` (a member-partitioned model) were rewritten since this
    model's last run, with the earliest `from_column` among those rows: the instant from which the
    input changed, and from which this model rebuilds them. Only inside `{% if is_incremental() %}`. -#}
{% macro changed_members(relation, from_column) -%}
    select
        team_id,
        user_id,
        min({{ from_column }}) as rebuild_from
    from {{ relation }}
    where {{ is_new_input() }}
    group by team_id, user_id
{%- endmacro %}

{#- Every row of a member-partitioned `relation` that this model must read again: on a full build
    all of them, on an incremental one those of changed members from their rebuild point on. -#}
{% macro member_rows_to_rebuild(relation, from_column) -%}
    {%- if is_incremental() %}
    select rebuilt.*
    from {{ relation }} as rebuilt
    inner join ({{ changed_members(relation, from_column) }}) as rebuilt_members
        on
            rebuilt.team_id = rebuilt_members.team_id
            and rebuilt.user_id = rebuilt_members.user_id
            and rebuilt.{{ from_column }} >= rebuilt_members.rebuild_from
    {%- else %}
    select * from {{ relation }}
    {%- endif %}
{%- endmacro %}
