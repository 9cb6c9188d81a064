{#- The platform's members table, computed one way for every grain (member and period, member
    and job, job). `members_table_sums` sums a member-day or member-job-day relation into the
    table's counts and times; `performance_ratios` then derives, from those names, the reviewed
    items, labeling minutes and the ratios. A ratio without a denominator is null, never 0. -#}
{% macro members_table_sums(accepted_column, rejected_column, labeling_seconds_column) -%}
    cast(sum(figures_created) as {{ dbt.type_bigint() }}) as objects_created,
    cast(sum(tags_attached) as {{ dbt.type_bigint() }}) as tags_created,
    cast(sum(items_submitted) as {{ dbt.type_bigint() }}) as items_submitted,
    cast(sum({{ accepted_column }}) as {{ dbt.type_bigint() }}) as accepted_items,
    cast(sum({{ rejected_column }}) as {{ dbt.type_bigint() }}) as rejected_items,
    cast(sum(reviews_performed) as {{ dbt.type_bigint() }}) as reviews_performed,
    sum(review_seconds) as review_seconds,
    sum({{ labeling_seconds_column }}) as labeling_seconds
{%- endmacro %}

{% macro performance_ratios() -%}
    accepted_items + rejected_items as reviewed_items,
    labeling_seconds / 60 as labeling_minutes,
    case
        when labeling_seconds > 0 then objects_created * 3600 / labeling_seconds
    end as labeling_speed_objects_per_hour,
    case
        when objects_created > 0 then labeling_seconds / objects_created
    end as seconds_per_object,
    case
        when accepted_items + rejected_items > 0
            then cast(accepted_items as {{ type_double() }}) / (accepted_items + rejected_items)
    end as acceptance_rate,
    case
        when reviews_performed > 0 then review_seconds / reviews_performed
    end as seconds_per_review
{%- endmacro %}
