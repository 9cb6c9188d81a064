{#- Fails on every non-null `column_name` that `to` does not list for the same team: the
    relationships test for ids that are keys only together with the team (`team_column` in both
    relations). Null values pass, as in dbt's relationships test. -#}
{% test relationships_in_team(model, column_name, to, field, team_column='team_id') %}
    with

    child as (
        select
            {{ team_column }} as team_key,
            {{ column_name }} as id_value
        from {{ model }}
        where {{ column_name }} is not null
    ),

    parent as (
        select
            {{ team_column }} as team_key,
            {{ field }} as id_value
        from {{ to }}
    )

    select distinct
        child.team_key,
        child.id_value
    from child
    left join parent
        on
            child.team_key = parent.team_key
            and child.id_value = parent.id_value
    where parent.id_value is null
{% endtest %}
