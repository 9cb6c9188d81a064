{#- How long an entity has lived, in seconds: from its create to the disable that ended it, or,
    while it is active, to the end of its team's log (a lifetime still running). Null when it was
    created before the export, or when its last disable precedes its create. -#}
{% macro lifetime_seconds(state, created_at, last_disabled_at, log_ended_at) -%}
    case
        when {{ state }} = 'disabled' and {{ last_disabled_at }} >= {{ created_at }}
            then {{ microseconds_to_seconds(
                epoch_microseconds(last_disabled_at) ~ ' - ' ~ epoch_microseconds(created_at)
            ) }}
        when {{ state }} = 'active' and {{ log_ended_at }} >= {{ created_at }}
            then {{ microseconds_to_seconds(
                epoch_microseconds(log_ended_at) ~ ' - ' ~ epoch_microseconds(created_at)
            ) }}
    end
{%- endmacro %}
