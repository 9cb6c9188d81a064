{#- Fails on every range that ends before it starts, or overlaps the next range of its partition.
    A null upper bound is an open range (still valid): only the last of its partition may have
    one. Named and shaped after dbt_utils.mutually_exclusive_ranges (without its `gaps` option:
    gaps are always allowed here). -#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none,
                                  zero_length_range_allowed=false) %}
    with ranges as (
        select
            {% if partition_by %}{{ partition_by }},{% endif %}
            {{ lower_bound_column }} as lower_bound,
            {{ upper_bound_column }} as upper_bound,
            lead({{ lower_bound_column }}) over (
                {% if partition_by %}partition by {{ partition_by }}{% endif %}
                order by {{ lower_bound_column }}, {{ upper_bound_column }}
            ) as next_lower_bound
        from {{ model }}
    )

    select *
    from ranges
    where
        lower_bound is null
        or upper_bound < lower_bound
        {%- if not zero_length_range_allowed %}
        or upper_bound = lower_bound
        {%- endif %}
        or (next_lower_bound is not null and (upper_bound is null or next_lower_bound < upper_bound))
{% endtest %}
