{#- Values written as text the way DuckDB writes them, so that keys hashed over them (event_id)
    are the same on every engine. -#}

{#- A timestamp as 'YYYY-MM-DDTHH:MM:SS.ffffff'. -#}
{% macro timestamp_to_iso_text(timestamp_expression) -%}
    {{ return(adapter.dispatch('timestamp_to_iso_text', 'labeling_analytics')(timestamp_expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_to_iso_text(timestamp_expression) -%}
    strftime({{ timestamp_expression }}, '%Y-%m-%dT%H:%M:%S.%f')
{%- endmacro %}

{% macro postgres__timestamp_to_iso_text(timestamp_expression) -%}
    to_char({{ timestamp_expression }}, 'YYYY-MM-DD"T"HH24:MI:SS.US')
{%- endmacro %}

{#- A double as text: the shortest text that reads back to it, a whole number with '.0'
    (DuckDB's cast to varchar; PostgreSQL omits the '.0'). -#}
{% macro double_to_text(double_expression) -%}
    {{ return(adapter.dispatch('double_to_text', 'labeling_analytics')(double_expression)) }}
{%- endmacro %}

{% macro duckdb__double_to_text(double_expression) -%}
    cast({{ double_expression }} as varchar)
{%- endmacro %}

{% macro postgres__double_to_text(double_expression) -%}
    {{ engine_functions_schema() }}.la_double_text({{ double_expression }})
{%- endmacro %}

{#- Whether a double is a finite number (not infinite, not NaN). -#}
{% macro is_finite_double(double_expression) -%}
    {{ return(adapter.dispatch('is_finite_double', 'labeling_analytics')(double_expression)) }}
{%- endmacro %}

{% macro duckdb__is_finite_double(double_expression) -%}
    isfinite({{ double_expression }})
{%- endmacro %}

{% macro postgres__is_finite_double(double_expression) -%}
    ({{ double_expression }}) not in (
        cast('Infinity' as double precision), cast('-Infinity' as double precision), cast('NaN' as double precision)
    )
{%- endmacro %}

{% macro spark__timestamp_to_iso_text(timestamp_expression) -%}
    date_format({{ timestamp_expression }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
{%- endmacro %}

{#- Spark writes a double as Java does: the same shortest digits as DuckDB between 1e-3 and 1e7
    ('30.5', '150.0'); a whole number beyond is written here as DuckDB writes it
    ('12345678.0'), and an exponent in DuckDB's form ('1.5e-07', '1e+20'). Left different: a
    fraction below 1e-3 but not below 1e-4, and a non-whole number from 1e7 on (Java writes them
    with an exponent, DuckDB without). -#}
{% macro spark__double_to_text(double_expression) -%}
    transform(array(cast({{ double_expression }} as double)), number -> case
        when isnan(number) then 'nan'
        when number = double('infinity') then 'inf'
        when number = -double('infinity') then '-inf'
        when number = 0 or (abs(number) >= 0.001 and abs(number) < 10000000) then cast(number as string)
        when number = floor(number) and abs(number) < 1e15 then concat(cast(cast(number as bigint) as string), '.0')
        else replace(regexp_replace(
            regexp_replace(regexp_replace(cast(number as string), '\\.0E', 'E'), 'E(-?)([0-9])$', 'E$10$2'),
            'E([0-9])', 'e+$1'
        ), 'E-', 'e-')
    end)[0]
{%- endmacro %}

{% macro spark__is_finite_double(double_expression) -%}
    transform(array(cast({{ double_expression }} as double)), number -> not isnan(number) and abs(number) < double('infinity'))[0]
{%- endmacro %}
