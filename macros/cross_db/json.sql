{#- JSON values: DuckDB's `json` type, PostgreSQL's `jsonb`. -#}

{#- Text parsed as JSON, or null when it is not JSON. -#}
{% macro try_parse_json(text_expression) -%}
    {{ return(adapter.dispatch('try_parse_json', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__try_parse_json(text_expression) -%}
    try_cast({{ text_expression }} as json)
{%- endmacro %}

{% macro postgres__try_parse_json(text_expression) -%}
    {{ engine_functions_schema() }}.la_try_jsonb({{ text_expression }})
{%- endmacro %}

{#- Whether a JSON value is an object (null for null). -#}
{% macro json_is_object(json_expression) -%}
    {{ return(adapter.dispatch('json_is_object', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_is_object(json_expression) -%}
    json_type({{ json_expression }}) = 'OBJECT'
{%- endmacro %}

{% macro postgres__json_is_object(json_expression) -%}
    jsonb_typeof({{ json_expression }}) = 'object'
{%- endmacro %}

{#- Whether a JSON value is a string (null for null). -#}
{% macro json_is_string(json_expression) -%}
    {{ return(adapter.dispatch('json_is_string', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_is_string(json_expression) -%}
    json_type({{ json_expression }}) = 'VARCHAR'
{%- endmacro %}

{% macro postgres__json_is_string(json_expression) -%}
    jsonb_typeof({{ json_expression }}) = 'string'
{%- endmacro %}

{#- The text of a JSON string value (unquoted, unescaped). -#}
{% macro json_string_value(json_expression) -%}
    {{ return(adapter.dispatch('json_string_value', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_string_value(json_expression) -%}
    json_extract_string({{ json_expression }}, '$')
{%- endmacro %}

{% macro postgres__json_string_value(json_expression) -%}
    ({{ json_expression }} #>> '{}')
{%- endmacro %}

{#- A JSON value as compact text (DuckDB keeps it as parsed; PostgreSQL writes object keys in
    byte order, which matches DuckDB for the canonical objects this is used on). -#}
{% macro json_to_text(json_expression) -%}
    {{ return(adapter.dispatch('json_to_text', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_to_text(json_expression) -%}
    cast({{ json_expression }} as varchar)
{%- endmacro %}

{% macro postgres__json_to_text(json_expression) -%}
    {{ engine_functions_schema() }}.la_json_text({{ json_expression }})
{%- endmacro %}

{#- A JSON object with top-level members set, as a JSON merge patch (RFC 7396) sets them:
    `members` maps each member name to a SQL expression; a null value removes the member. -#}
{% macro json_patch_members(json_expression, members) -%}
    {{ return(adapter.dispatch('json_patch_members', 'labeling_analytics')(json_expression, members)) }}
{%- endmacro %}

{% macro duckdb__json_patch_members(json_expression, members) -%}
    json_merge_patch(
        {{ json_expression }},
        json_object({% for name, value in members.items() %}'{{ name }}', {{ value }}{% if not loop.last %}, {% endif %}{% endfor %})
    )
{%- endmacro %}

{% macro postgres__json_patch_members(json_expression, members) -%}
    (({{ json_expression }}) - array[{% for name in members %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor %}])
    || jsonb_strip_nulls(jsonb_build_object(
        {%- for name, value in members.items() %}'{{ name }}', {{ value }}{% if not loop.last %}, {% endif %}{% endfor -%}
    ))
{%- endmacro %}

{#- A JSON object without the top-level members named in `names`. -#}
{% macro json_without_members(json_expression, names) -%}
    {{ return(adapter.dispatch('json_without_members', 'labeling_analytics')(json_expression, names)) }}
{%- endmacro %}

{% macro duckdb__json_without_members(json_expression, names) -%}
    json_merge_patch({{ json_expression }}, '{{ tojson(dict.fromkeys(names)) }}')
{%- endmacro %}

{% macro postgres__json_without_members(json_expression, names) -%}
    (({{ json_expression }}) - array[{% for name in names %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor %}])
{%- endmacro %}
