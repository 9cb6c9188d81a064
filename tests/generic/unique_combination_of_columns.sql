{#- Fails on every combination of the columns that occurs more than once (or has a null).
    As dbt_utils.unique_combination_of_columns. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having
        count(*) > 1
        {%- for column in combination_of_columns %}
        or {{ column }} is null
        {%- endfor %}
{% endtest %}
