{#- Functions an engine lacks, created before every run (on-run-start) in the target schema:
    PostgreSQL has no safe cast (a text that is not JSON or not a date must give null, not fail
    the build) and no compact JSON serializer. Other engines need none (DuckDB: `select 1`).

    The safe casts catch the failed cast in a subtransaction, which a parallel worker cannot start:
    they are parallel unsafe (a statement that calls them runs without parallel workers). They are
    declared volatile on purpose: PostgreSQL then computes a CTE that calls
    them once, instead of copying its expressions into every column that reads them (in
    stg_supervisely__activity_rows the copies multiply from CTE to CTE until planning alone takes
    minutes and gigabytes). They are parallel unsafe because an exception block cannot run in a
    parallel worker. -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1
{%- endmacro %}

{#- The schema that holds them, to qualify their calls. -#}
{% macro engine_functions_schema() -%}
    {{ return(target.schema) }}
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
    {%- set schema = engine_functions_schema() -%}
    create schema if not exists {{ schema }};

    -- JSON text with what DuckDB's reader accepts and PostgreSQL's does not made standard: NaN,
    -- Infinity and -Infinity (DuckDB's to_json writes them for a Parquet double) become the
    -- strings DuckDB reads them as, and trailing commas go; text inside strings is kept
    create or replace function {{ schema }}.la_json_lenient(value text) returns text
    language sql immutable parallel safe as $fn$
        select string_agg(
            case
                when left(token.part[1], 1) = '"' then token.part[1]
                else regexp_replace(
                    regexp_replace(token.part[1], '(-?)\y(NaN|Infinity)\y', '"\1\2"', 'g'),
                    ',(\s*[]}])', '\1', 'g'
                )
            end,
            '' order by token.position
        )
        from regexp_matches(value, '"(?:[^"\\]|\\.)*"|[^"]+|"', 'g') with ordinality as token (part, position)
    $fn$;

    -- text to jsonb, null when it is not JSON (as DuckDB reads JSON: see la_json_lenient)
    create or replace function {{ schema }}.la_try_jsonb(value text) returns jsonb
    language plpgsql volatile parallel unsafe as $fn$
    begin
        return value::jsonb;
    exception when others then
        begin
            return {{ schema }}.la_json_lenient(value)::jsonb;
        exception when others then
            return null;
        end;
    end
    $fn$;

    -- ISO-8601 text to a UTC timestamp, null when it is no valid instant; text without an offset
    -- is UTC (the function's own time zone, whatever the session's)
    create or replace function {{ schema }}.la_try_utc_timestamp(value text) returns timestamp
    language plpgsql volatile parallel unsafe set timezone = 'UTC' as $fn$
    begin
        return value::timestamptz at time zone 'UTC';
    exception when others then
        return null;
    end
    $fn$;

    -- text to float8, null when it is no number; beyond the range of a double it is +-infinity
    -- (or 0 for a tiny magnitude), as DuckDB's try_cast gives
    create or replace function {{ schema }}.la_try_double(value text) returns double precision
    language plpgsql volatile parallel unsafe as $fn$
    declare
        exact numeric;
    begin
        return value::double precision;
    exception when others then
        begin
            exact := value::numeric;
            if abs(exact) < 1 then
                return 0;
            elsif exact > 0 then
                return 'Infinity'::double precision;
            else
                return '-Infinity'::double precision;
            end if;
        exception when others then
            return null;
        end;
    end
    $fn$;

    -- jsonb as compact JSON text (no blanks, object keys in byte order), as DuckDB writes JSON
    create or replace function {{ schema }}.la_json_text(value jsonb) returns text
    language plpgsql immutable parallel safe as $fn$
    begin
        if value is null then
            return null;
        elsif jsonb_typeof(value) = 'object' then
            return '{' || coalesce((
                select string_agg(to_json(member.key)::text || ':' || {{ schema }}.la_json_text(member.value), ','
                    order by member.key collate "C")
                from jsonb_each(value) as member
            ), '') || '}';
        elsif jsonb_typeof(value) = 'array' then
            return '[' || coalesce((
                select string_agg({{ schema }}.la_json_text(element.value), ',' order by element.position)
                from jsonb_array_elements(value) with ordinality as element (value, position)
            ), '') || ']';
        else
            return value::text;
        end if;
    end
    $fn$;

    -- a JSON value as DuckDB's json_extract_string gives it: a string unquoted, JSON null as
    -- null, a number or boolean as written, an object or array as compact JSON
    create or replace function {{ schema }}.la_json_value_text(value jsonb) returns text
    language sql immutable parallel safe as $fn$
        select case jsonb_typeof(value)
            when 'string' then value #>> '{}'
            when 'null' then null
            when 'object' then {{ schema }}.la_json_text(value)
            when 'array' then {{ schema }}.la_json_text(value)
            else value #>> '{}'
        end
    $fn$;

    -- a double as DuckDB writes it: a whole number with '.0' (PostgreSQL writes none)
    create or replace function {{ schema }}.la_double_text(value double precision) returns text
    language sql immutable parallel safe as $fn$
        select case
            when value = trunc(value) and abs(value) < 1e15 then cast(cast(value as numeric) as text) || '.0'
            else cast(value as text)
        end
    $fn$
{%- endmacro %}
