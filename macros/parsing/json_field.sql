{#- A top-level member of a JSON object as text (numbers as written, nested values as JSON). -#}
{% macro json_field_text(json_expression, member) -%}
    {{ return(adapter.dispatch('json_field_text', 'labeling_analytics')(json_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_field_text(json_expression, member) -%}
    json_extract_string({{ json_expression }}, '$.{{ member }}')
{%- endmacro %}


{#- Parse a JSON object once into something `json_member_text` reads many members from.
    DuckDB: a struct of the named members (text, or JSON for those in `json_members`). -#}
{% macro json_members(json_expression, text_members, json_members=[]) -%}
    {{ return(adapter.dispatch('json_members', 'labeling_analytics')(json_expression, text_members, json_members)) }}
{%- endmacro %}

{% macro duckdb__json_members(json_expression, text_members, json_members=[]) -%}
    {%- set spec = {} -%}
    {%- for member in text_members %}{% do spec.update({member: 'VARCHAR'}) %}{% endfor -%}
    {%- for member in json_members %}{% do spec.update({member: 'JSON'}) %}{% endfor -%}
    json_transform({{ json_expression }}, '{{ tojson(spec) }}')
{%- endmacro %}

{#- One member of what `json_members` produced. -#}
{% macro json_member(members_expression, member) -%}
    {{ return(adapter.dispatch('json_member', 'labeling_analytics')(members_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_member(members_expression, member) -%}
    struct_extract({{ members_expression }}, '{{ member }}')
{%- endmacro %}


{#- Whether a JSON object has any of the members at all (even with null values). -#}
{% macro json_has_any_member(json_expression, members) -%}
    {{ return(adapter.dispatch('json_has_any_member', 'labeling_analytics')(json_expression, members)) }}
{%- endmacro %}

{% macro duckdb__json_has_any_member(json_expression, members) -%}
    coalesce(list_has_any(json_keys({{ json_expression }}), {{ members | tojson | replace('"', "'") }}), false)
{%- endmacro %}

{#- PostgreSQL: the text DuckDB's json_extract_string gives: a string unquoted, JSON null as
    null, anything else as compact JSON. -#}
{% macro postgres__json_field_text(json_expression, member) -%}
    {{ postgres__json_value_text("(" ~ json_expression ~ ") -> '" ~ member ~ "'") }}
{%- endmacro %}

{% macro postgres__json_value_text(value_expression) -%}
    {{ engine_functions_schema() }}.la_json_value_text({{ value_expression }})
{%- endmacro %}

{#- PostgreSQL: jsonb is already parsed; its members are read where they are used. -#}
{% macro postgres__json_members(json_expression, text_members, json_members=[]) -%}
    {{ json_expression }}
{%- endmacro %}

{% macro postgres__json_member(members_expression, member) -%}
    {{ postgres__json_value_text("(" ~ members_expression ~ ") -> '" ~ member ~ "'") }}
{%- endmacro %}

{#- One member of what `json_members` produced that was named among its `json_members`: a JSON
    value, null when absent or JSON null. -#}
{% macro json_member_json(members_expression, member) -%}
    {{ return(adapter.dispatch('json_member_json', 'labeling_analytics')(members_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_member_json(members_expression, member) -%}
    struct_extract({{ members_expression }}, '{{ member }}')
{%- endmacro %}

{% macro postgres__json_member_json(members_expression, member) -%}
    case
        when jsonb_typeof(({{ members_expression }}) -> '{{ member }}') <> 'null'
            then ({{ members_expression }}) -> '{{ member }}'
    end
{%- endmacro %}

{% macro postgres__json_has_any_member(json_expression, members) -%}
    coalesce(
        jsonb_typeof({{ json_expression }}) = 'object'
        and ({{ json_expression }}) ?| array[{% for member in members %}'{{ member }}'{% if not loop.last %}, {% endif %}{% endfor %}],
        false
    )
{%- endmacro %}

{#- Spark: JSON is text (see macros/cross_db/json.sql); Jackson's get_json_object writes numbers
    and nested values as DuckDB does. -#}
{% macro spark__json_field_text(json_expression, member) -%}
    get_json_object({{ json_expression }}, '$.{{ member }}')
{%- endmacro %}

{#- Spark: a struct of the named members, from one parse of the object (text members as text;
    JSON members as JSON text, a string quoted again, a JSON null as null). -#}
{% macro spark__json_members(json_expression, text_members, json_members=[]) -%}
    transform(array({{ spark__json_maps(json_expression) }}), parsed -> named_struct(
        {%- for member in text_members %}
        '{{ member }}', parsed.text_map['{{ member }}']{% if not loop.last or json_members %},{% endif %}
        {%- endfor %}
        {%- for member in json_members %}
        '{{ member }}', {{ spark__json_maps_member('parsed', "'" ~ member ~ "'") }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ))[0]
{%- endmacro %}

{% macro spark__json_member(members_expression, member) -%}
    {{ members_expression }}.`{{ member }}`
{%- endmacro %}

{% macro spark__json_member_json(members_expression, member) -%}
    {{ members_expression }}.`{{ member }}`
{%- endmacro %}

{% macro spark__json_has_any_member(json_expression, members) -%}
    coalesce(exists(
        json_object_keys({{ json_expression }}),
        member_key -> member_key in ('{{ members | join("', '") }}')
    ), false)
{%- endmacro %}
