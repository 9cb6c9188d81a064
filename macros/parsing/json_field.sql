{#- A top-level member of a JSON object as text (numbers as written, nested values as JSON). -#}
{% macro json_field_text(json_expression, member) -%}
    {{ return(adapter.dispatch('json_field_text', 'labeling_analytics')(json_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_field_text(json_expression, member) -%}
    json_extract_string({{ json_expression }}, '$.{{ member }}')
{%- endmacro %}

{#- A top-level member of a JSON object as JSON. -#}
{% macro json_field(json_expression, member) -%}
    {{ return(adapter.dispatch('json_field', 'labeling_analytics')(json_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_field(json_expression, member) -%}
    json_extract({{ json_expression }}, '$.{{ member }}')
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

{#- Whether a JSON object has the member at all (even with a null value). -#}
{% macro json_has_member(json_expression, member) -%}
    {{ return(adapter.dispatch('json_has_member', 'labeling_analytics')(json_expression, member)) }}
{%- endmacro %}

{% macro duckdb__json_has_member(json_expression, member) -%}
    coalesce(json_exists({{ json_expression }}, '$.{{ member }}'), false)
{%- endmacro %}
