{#- A member's day. `activity_date` in the member-day models is the member's calendar day: UTC,
    unless the var `member_time_zones` ({user_id: 'IANA zone'}) gives the member a zone, or
    `default_time_zone` gives every member without one a zone. With neither set (the default),
    the SQL is plain UTC day arithmetic, with no time zone function at all. -#}

{% macro member_time_zones() -%}
    {{ return(var('member_time_zones', {}) or {}) }}
{%- endmacro %}

{% macro default_time_zone() -%}
    {{ return(var('default_time_zone', 'UTC')) }}
{%- endmacro %}

{#- Whether any member's day is not the UTC day (decided when the SQL is compiled). -#}
{% macro uses_local_days() -%}
    {{ return(member_time_zones() | length > 0 or default_time_zone() != 'UTC') }}
{%- endmacro %}

{#- The member's time zone name, as a SQL expression. A name the engine does not know stops the
    build with its error (DuckDB: `Unknown TimeZone`); a quote in a name, or a key that is not a
    user id, stops it here. -#}
{% macro member_time_zone(user_id_expression) -%}
    {%- for zone in [default_time_zone()] + (member_time_zones().values() | list) -%}
        {%- if "'" in zone | string -%}
            {{ exceptions.raise_compiler_error("time zone name with a quote in var member_time_zones or default_time_zone: " ~ zone) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if member_time_zones() | length == 0 -%}
        '{{ default_time_zone() }}'
    {%- else -%}
        case {{ user_id_expression }}
            {%- for user_id, zone in member_time_zones().items() %}
            {%- if not (user_id | string).isdigit() %}
                {{ exceptions.raise_compiler_error("var member_time_zones: the key '" ~ user_id ~ "' is not a user id (a whole number)") }}
            {%- endif %}
            when {{ user_id | int }} then '{{ zone }}'
            {%- endfor %}
            else '{{ default_time_zone() }}'
        end
    {%- endif -%}
{%- endmacro %}

{#- The member's day (days since 1970-01-01 of their local date) of an instant given in epoch
    microseconds: the day whose start (`member_day_start_microseconds`) is the latest at or before
    it. That is the local date of the instant, except where a clock change repeats or skips
    midnight (America/Havana, Asia/Beirut, ...): there the engine places midnight at one of its
    instants, and an instant is dated by the same boundaries that split time, so that no second
    is lost between two days. -#}
{% macro member_epoch_day(user_id_expression, microseconds_expression) -%}
    {%- if uses_local_days() -%}
        {%- set zone = member_time_zone(user_id_expression) -%}
        {%- set wall_day = epoch_day(local_wall_microseconds(microseconds_expression, zone)) -%}
        ({{ wall_day }} - case
            when ({{ microseconds_expression }}) < {{ local_midnight_microseconds(wall_day, zone) }} then 1
            when ({{ microseconds_expression }}) >= {{ local_midnight_microseconds(wall_day ~ ' + 1', zone) }}
                then -1
            else 0
        end)
    {%- else -%}
        {{ epoch_day(microseconds_expression) }}
    {%- endif -%}
{%- endmacro %}

{#- The member's date of a UTC timestamp. -#}
{% macro member_date(user_id_expression, timestamp_expression) -%}
    {%- if uses_local_days() -%}
        {{ date_from_epoch_day(member_epoch_day(user_id_expression, epoch_microseconds(timestamp_expression))) }}
    {%- else -%}
        cast({{ timestamp_expression }} as date)
    {%- endif -%}
{%- endmacro %}

{#- The instant (epoch microseconds) the member's day number `day_expression` begins: local
    midnight, which is 23 or 25 hours after the previous one on a daylight-saving change. -#}
{% macro member_day_start_microseconds(user_id_expression, day_expression) -%}
    {%- if uses_local_days() -%}
        {{ local_midnight_microseconds(day_expression, member_time_zone(user_id_expression)) }}
    {%- else -%}
        ({{ day_expression }}) * {{ microseconds_per_day() }}
    {%- endif -%}
{%- endmacro %}

{#- The wall-clock time in `zone` of an instant, both as epoch microseconds (the wall clock read
    as if it were UTC). -#}
{% macro local_wall_microseconds(microseconds_expression, zone_expression) -%}
    {{ return(adapter.dispatch('local_wall_microseconds', 'labeling_analytics')(microseconds_expression, zone_expression)) }}
{%- endmacro %}

{% macro duckdb__local_wall_microseconds(microseconds_expression, zone_expression) -%}
    epoch_us(timezone({{ zone_expression }}, make_timestamptz(cast(({{ microseconds_expression }}) as bigint))))
{%- endmacro %}

{#- The instant (epoch microseconds) of midnight in `zone` starting the local day number
    `day_expression` (days since 1970-01-01). -#}
{% macro local_midnight_microseconds(day_expression, zone_expression) -%}
    {{ return(adapter.dispatch('local_midnight_microseconds', 'labeling_analytics')(day_expression, zone_expression)) }}
{%- endmacro %}

{% macro duckdb__local_midnight_microseconds(day_expression, zone_expression) -%}
    epoch_us(timezone({{ zone_expression }}, make_timestamp(cast(({{ day_expression }}) as bigint) * {{ microseconds_per_day() }})))
{%- endmacro %}

{% macro postgres__local_wall_microseconds(microseconds_expression, zone_expression) -%}
    {{ postgres__epoch_microseconds(
        '(' ~ postgres__timestamp_from_epoch_microseconds(microseconds_expression) ~ " at time zone 'UTC') at time zone "
        ~ zone_expression
    ) }}
{%- endmacro %}

{% macro postgres__local_midnight_microseconds(day_expression, zone_expression) -%}
    {{ postgres__epoch_microseconds(
        postgres__timestamp_from_epoch_microseconds(
            'cast((' ~ day_expression ~ ') as bigint) * ' ~ microseconds_per_day()
        ) ~ ' at time zone ' ~ zone_expression
    ) }}
{%- endmacro %}

{#- Spark: timestamps are instants shown in the session zone (UTC); from_utc_timestamp shifts an
    instant to the zone's wall clock, to_utc_timestamp a wall clock back to its instant. -#}
{% macro spark__local_wall_microseconds(microseconds_expression, zone_expression) -%}
    unix_micros(from_utc_timestamp(timestamp_micros(cast(({{ microseconds_expression }}) as bigint)), {{ zone_expression }}))
{%- endmacro %}

{#- A midnight that happens twice (a clock set back at 01:00, America/Havana) is the later one,
    as DuckDB places it; Java's to_utc_timestamp takes the earlier: so the wall clock is converted
    an hour later and the hour taken back, and kept when it reads as the same wall clock. -#}
{% macro spark__local_midnight_microseconds(day_expression, zone_expression) -%}
    transform(
        array(timestamp_micros(cast(({{ day_expression }}) as bigint) * {{ microseconds_per_day() }})),
        wall_midnight -> case
            when from_utc_timestamp(
                to_utc_timestamp(wall_midnight + interval 1 hour, {{ zone_expression }}) - interval 1 hour,
                {{ zone_expression }}
            ) = wall_midnight
                then unix_micros(to_utc_timestamp(wall_midnight + interval 1 hour, {{ zone_expression }}) - interval 1 hour)
            else unix_micros(to_utc_timestamp(wall_midnight, {{ zone_expression }}))
        end
    )[0]
{%- endmacro %}
