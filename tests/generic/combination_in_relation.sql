{#- Fails on every combination of the model's columns that the reference relation does not list
    (its columns have the same names unless `to_columns` gives them): for example each
    (previous_state, verb, state) step an entity takes must be a step of the state machine. -#}
{% test combination_in_relation(model, combination_of_columns, to, to_columns=none) %}
    {%- set target_columns = to_columns or combination_of_columns %}
    select distinct
        {{ combination_of_columns | join(', ') }}
    from {{ model }} as tested
    where not exists (
        select 1
        from {{ to }} as reference
        where
            {%- for column in combination_of_columns %}
            tested.{{ column }} = reference.{{ target_columns[loop.index0] }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    )
{% endtest %}
