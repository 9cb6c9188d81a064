{#- The start of an item visit: the `annotation_duration` event marks its end and carries its
    length, so it began `meta.duration` seconds earlier. One definition for every model that
    needs it (the timeline, the visits), so that they join on equal values. -#}
{% macro visit_started_at_microseconds(occurred_at, duration_seconds) -%}
    ({{ epoch_microseconds(occurred_at) }} - {{ seconds_to_microseconds(duration_seconds) }})
{%- endmacro %}
