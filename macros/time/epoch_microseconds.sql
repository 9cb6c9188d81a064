{#- Time arithmetic in whole microseconds since 1970-01-01 UTC: the intermediate models add and
    subtract durations and split time at midnight on integers, so that sums of seconds are exact
    and every engine gives the same answer. -#}

{#- A timestamp (UTC, no time zone) as microseconds since the epoch. -#}
{% macro epoch_microseconds(timestamp_expression) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'labeling_analytics')(timestamp_expression)) }}
{%- endmacro %}

{% macro duckdb__epoch_microseconds(timestamp_expression) -%}
    epoch_us(({{ timestamp_expression }}))
{%- endmacro %}

{#- Microseconds since the epoch as a timestamp (UTC, no time zone). -#}
{% macro timestamp_from_epoch_microseconds(microseconds_expression) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch_microseconds', 'labeling_analytics')(microseconds_expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_from_epoch_microseconds(microseconds_expression) -%}
    make_timestamp(cast(({{ microseconds_expression }}) as bigint))
{%- endmacro %}

{#- A number of seconds (double, possibly fractional) as whole microseconds, rounded. -#}
{% macro seconds_to_microseconds(seconds_expression) -%}
    cast(round(({{ seconds_expression }}) * 1000000) as bigint)
{%- endmacro %}

{#- Whole microseconds as seconds (double). -#}
{% macro microseconds_to_seconds(microseconds_expression) -%}
    cast(({{ microseconds_expression }}) as {{ type_double() }}) / 1000000
{%- endmacro %}

{#- The UTC day a point in time falls in, from its epoch microseconds. -#}
{% macro epoch_day(microseconds_expression) -%}
    cast(floor(cast(({{ microseconds_expression }}) as {{ type_double() }}) / {{ microseconds_per_day() }}) as bigint)
{%- endmacro %}

{% macro microseconds_per_day() -%}
    86400000000
{%- endmacro %}

{#- The date of an epoch day number (days since 1970-01-01). -#}
{% macro date_from_epoch_day(day_expression) -%}
    cast({{ timestamp_from_epoch_microseconds('(' ~ day_expression ~ ') * ' ~ microseconds_per_day()) }} as date)
{%- endmacro %}

{#- PostgreSQL: extract(epoch) is an exact numeric (PostgreSQL 14 and later). -#}
{% macro postgres__epoch_microseconds(timestamp_expression) -%}
    cast(extract(epoch from ({{ timestamp_expression }})) * 1000000 as bigint)
{%- endmacro %}

{#- PostgreSQL: a bigint times an interval is exact below 2^53 microseconds (the year 2255). -#}
{% macro postgres__timestamp_from_epoch_microseconds(microseconds_expression) -%}
    (timestamp '1970-01-01 00:00:00' + cast(({{ microseconds_expression }}) as bigint) * interval '1 microsecond')
{%- endmacro %}

{% macro spark__epoch_microseconds(timestamp_expression) -%}
    unix_micros({{ timestamp_expression }})
{%- endmacro %}

{% macro spark__timestamp_from_epoch_microseconds(microseconds_expression) -%}
    timestamp_micros(cast(({{ microseconds_expression }}) as bigint))
{%- endmacro %}
