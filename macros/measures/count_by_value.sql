{#- One count per value of a column: `sum(case when <column> = '<value>' then 1 else 0 end) as
    <alias>` for each value -> alias of `measures`, comma-separated; a bigint (DuckDB sums
    integers into a 128-bit hugeint, which contracts and other engines do not know). -#}
{% macro count_by_value(column, measures) -%}
    {%- for value, alias in measures.items() %}
    cast(sum(case when {{ column }} = '{{ value }}' then 1 else 0 end) as {{ dbt.type_bigint() }})
    as {{ alias }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The figure and tag actions a member takes on an item, and the name of each one's count. -#}
{% macro item_action_measures() -%}
    {{ return({
        'create_figure': 'figures_created',
        'update_figure': 'figures_updated',
        'disable_figure': 'figures_disabled',
        'restore_figure': 'figures_restored',
        'attach_tag': 'tags_attached',
        'update_tag_value': 'tag_values_updated',
        'detach_tag': 'tags_detached',
    }) }}
{%- endmacro %}

{#- The catalog's action categories (seeds/activity_action_catalog.csv, whose test pins the same
    list) and the name of each one's event count in the marts. -#}
{% macro activity_category_measures() -%}
    {{ return({
        'auth': 'auth_events',
        'structure': 'structure_events',
        'annotation': 'annotation_events',
        'tagging': 'tagging_events',
        'review': 'review_events',
        'model': 'model_events',
        'membership': 'membership_events',
        'account': 'account_events',
    }) }}
{%- endmacro %}

{#- The additive measures of `int_member_job_days`, in its column order: what a member's day,
    week, month or job sums. -#}
{% macro member_job_day_measures() -%}
    {{ return(
        ['events']
        + (activity_category_measures().values() | list)
        + (item_action_measures().values() | list)
        + [
            'items_submitted', 'reviews_performed', 'accepted_as_reviewer', 'rejected_as_reviewer',
            'accepted_as_labeler', 'rejected_as_labeler',
            'visits', 'review_visits', 'visit_active_seconds', 'review_seconds',
        ]
    ) }}
{%- endmacro %}
