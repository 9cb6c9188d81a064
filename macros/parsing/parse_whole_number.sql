{#- A whole, non-negative number from text: '4720' and pandas' '4720.0' give 4720; '12.5', 'abc',
    '-3' and values beyond bigint give null, which callers report as an invalid id. -#}
{% macro parse_whole_number(text_expression) -%}
    {{ return(adapter.dispatch('parse_whole_number', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__parse_whole_number(text_expression) -%}
    case
        when regexp_full_match({{ text_expression }}, '[0-9]+(\.0*)?')
            then try_cast(split_part({{ text_expression }}, '.', 1) as bigint)
    end
{%- endmacro %}

{#- A finite decimal number from text, or null. -#}
{% macro parse_decimal_number(text_expression) -%}
    {{ return(adapter.dispatch('parse_decimal_number', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__parse_decimal_number(text_expression) -%}
    case
        when regexp_full_match(
            trim({{ text_expression }}), '[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?'
        )
            then try_cast(trim({{ text_expression }}) as double)
    end
{%- endmacro %}

{#- PostgreSQL: beyond bigint (19 digits and up to its maximum) gives null, as try_cast does. -#}
{% macro postgres__parse_whole_number(text_expression) -%}
    case
        when
            {{ text_expression }} ~ '^[0-9]+(\.0*)?$'
            and cast(split_part({{ text_expression }}, '.', 1) as numeric) <= 9223372036854775807
            then cast(split_part({{ text_expression }}, '.', 1) as bigint)
    end
{%- endmacro %}

{% macro postgres__parse_decimal_number(text_expression) -%}
    case
        when trim({{ text_expression }}) ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$'
            then {{ engine_functions_schema() }}.la_try_double(trim({{ text_expression }}))
    end
{%- endmacro %}

{#- Spark: Java regular expressions (\z: the very end, where $ would also match before a final
    newline); a cast out of range gives null (ANSI mode is off under dbt-spark). -#}
{% macro spark__parse_whole_number(text_expression) -%}
    case
        when {{ text_expression }} rlike '^[0-9]+(\\.0*)?\\z'
            then cast(split_part({{ text_expression }}, '.', 1) as bigint)
    end
{%- endmacro %}

{% macro spark__parse_decimal_number(text_expression) -%}
    case
        when trim({{ text_expression }}) rlike '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\z'
            then cast(trim({{ text_expression }}) as double)
    end
{%- endmacro %}
