{#- Fails on every row where `expression` is not true. As dbt_utils.expression_is_true. -#}
{% test expression_is_true(model, expression, column_name=none, where=none) %}
    select *
    from {{ model }}
    where not coalesce(
        {% if column_name %}{{ column_name }} {% endif %}{{ expression }},
        false
    )
{% endtest %}
