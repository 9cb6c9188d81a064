{#- ISO-8601 text to a UTC timestamp without zone. Accepts what exports contain: '...T..:..:..Z',
    with or without fractional seconds, a space instead of 'T', an offset such as '+02:00'
    (converted to UTC); text without a zone is read as UTC. Anything else (a bare date, an epoch
    number, '2021-02-30 ...') gives null, which staging reports as an unparseable date. -#}
{% macro parse_utc_timestamp(text_expression) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(text_expression) -%}
    case
        when regexp_full_match(
            trim({{ text_expression }}),
            '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?'
        )
            then timezone('UTC', try_cast(trim({{ text_expression }}) as timestamptz))
    end
{%- endmacro %}

{#- PostgreSQL rounds fractional seconds beyond microseconds, DuckDB truncates them: the extra
    digits are cut first. -#}
{% macro postgres__parse_utc_timestamp(text_expression) -%}
    case
        when trim({{ text_expression }})
            ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'
            then {{ engine_functions_schema() }}.la_try_utc_timestamp(
                regexp_replace(trim({{ text_expression }}), '(\.[0-9]{6})[0-9]+', '\1')
            )
    end
{%- endmacro %}

{#- Spark: its cast reads the same forms (offsets converted, up to 9 fractional digits truncated
    to microseconds, impossible dates null); the session time zone is UTC (profile). -#}
{% macro spark__parse_utc_timestamp(text_expression) -%}
    case
        when trim({{ text_expression }}) rlike
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?\\z'
            then cast(trim({{ text_expression }}) as timestamp)
    end
{%- endmacro %}
