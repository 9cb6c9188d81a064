{#- JSON values travel as DuckDB's JSON type on DuckDB and as JSON text on Spark (Spark's VARIANT
    rewrites numbers, 150.0 as 150, where DuckDB and Jackson keep 150.0, and event keys hash the
    text). These helpers are the JSON operations the staging models need beyond json_field.sql. -#}

{#- Text that is valid JSON, as JSON; anything else, null. -#}
{% macro try_json(text_expression) -%}
    {{ return(adapter.dispatch('try_json', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__try_json(text_expression) -%}
    try_cast({{ text_expression }} as json)
{%- endmacro %}

{% macro spark__try_json(text_expression) -%}
    case when try_parse_json({{ text_expression }}) is not null then {{ text_expression }} end
{%- endmacro %}


{#- The type of a JSON value, named as DuckDB's json_type names it: OBJECT, ARRAY, VARCHAR,
    BIGINT, DOUBLE, BOOLEAN or NULL (a JSON null); SQL null for SQL null or invalid JSON. -#}
{% macro json_type_name(json_expression) -%}
    {{ return(adapter.dispatch('json_type_name', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_type_name(json_expression) -%}
    json_type({{ json_expression }})
{%- endmacro %}

{% macro spark__json_type_name(json_expression) -%}
    case regexp_extract(schema_of_variant(try_parse_json({{ json_expression }})), '^[A-Z]+', 0)
        when 'STRING' then 'VARCHAR'
        when 'VOID' then 'NULL'
        when 'DECIMAL' then 'DOUBLE'
        when 'FLOAT' then 'DOUBLE'
        when 'INT' then 'BIGINT'
        when 'SMALLINT' then 'BIGINT'
        when 'TINYINT' then 'BIGINT'
        else regexp_extract(schema_of_variant(try_parse_json({{ json_expression }})), '^[A-Z]+', 0)
    end
{%- endmacro %}


{#- The text of a JSON string value (unquoted, unescaped); other values as JSON text. -#}
{% macro json_text_value(json_expression) -%}
    {{ return(adapter.dispatch('json_text_value', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__json_text_value(json_expression) -%}
    json_extract_string({{ json_expression }}, '$')
{%- endmacro %}

{% macro spark__json_text_value(json_expression) -%}
    variant_get(try_parse_json({{ json_expression }}), '$', 'string')
{%- endmacro %}


{#- A JSON object without the top-level `members` (a list of names). -#}
{% macro json_remove_members(json_expression, members) -%}
    {{ return(adapter.dispatch('json_remove_members', 'labeling_analytics')(json_expression, members)) }}
{%- endmacro %}

{% macro duckdb__json_remove_members(json_expression, members) -%}
    json_merge_patch({{ json_expression }}, '{{ tojson(dict.fromkeys(members)) }}')
{%- endmacro %}

{% macro spark__json_remove_members(json_expression, members) -%}
    {{ spark__json_object_text(json_expression, exclude=members) }}
{%- endmacro %}


{#- A JSON object with top-level members set: `text_members` ({name: SQL text}) as JSON
    strings, `json_members` ({name: SQL JSON}) as they are; a null value removes the member. -#}
{% macro json_set_members(json_expression, text_members={}, json_members={}) -%}
    {{ return(adapter.dispatch('json_set_members', 'labeling_analytics')(json_expression, text_members, json_members)) }}
{%- endmacro %}

{% macro duckdb__json_set_members(json_expression, text_members={}, json_members={}) -%}
    {%- set target = json_expression -%}
    {%- if json_members -%}
        {#- A JSON value is merged into what it replaces: remove that first. -#}
        {%- set target = duckdb__json_remove_members(json_expression, json_members.keys() | list) -%}
    {%- endif -%}
    {%- set entries = [] -%}
    {%- for name, value in text_members.items() %}{% do entries.append("'" ~ name ~ "', " ~ value) %}{% endfor -%}
    {%- for name, value in json_members.items() %}{% do entries.append("'" ~ name ~ "', " ~ value) %}{% endfor -%}
    json_merge_patch({{ target }}, json_object({{ entries | join(', ') }}))
{%- endmacro %}

{% macro spark__json_set_members(json_expression, text_members={}, json_members={}) -%}
    {%- set added = [] -%}
    {%- for name, value in text_members.items() -%}
        {%- do added.append("case when (" ~ value ~ ") is not null then concat('\"" ~ name ~ "\":', to_json(cast((" ~ value ~ ") as variant))) end") -%}
    {%- endfor -%}
    {%- for name, value in json_members.items() -%}
        {%- do added.append("case when (" ~ value ~ ") is not null then concat('\"" ~ name ~ "\":', " ~ value ~ ") end") -%}
    {%- endfor -%}
    {{ spark__json_object_text(
        json_expression, exclude=(text_members.keys() | list) + (json_members.keys() | list), added=added
    ) }}
{%- endmacro %}


{#- Spark: a JSON object rebuilt as text from its top-level members (in their order, or sorted by
    name), leaving out those named in `exclude` and members whose value is null, then appending
    `added` (SQL expressions of `"name":value` text, null to add nothing). Null unless `json_expression` is an object. -#}
{% macro spark__json_object_text(json_expression, exclude=[], added=[], sort_keys=false) -%}
    {%- set keys -%}
        filter(
            map_keys(from_json({{ json_expression }}, 'map<string,string>')),
            member_key -> from_json({{ json_expression }}, 'map<string,string>')[member_key] is not null
            {%- if exclude %}
                and member_key not in ('{{ exclude | join("', '") }}')
            {%- endif %}
        )
    {%- endset -%}
    case
        when {{ spark__json_type_name(json_expression) }} = 'OBJECT'
            then concat('{', array_join(concat(
                transform(
                    {% if sort_keys %}array_sort({{ keys }}){% else %}{{ keys }}{% endif %},
                    member_key -> concat(
                        to_json(cast(member_key as variant)),
                        ':',
                        {{ spark__json_member_json(json_expression, 'member_key') }}
                    )
                ),
                {%- if added %}
                filter(array({{ added | join(', ') }}), entry -> entry is not null)
                {%- else %}
                cast(array() as array<string>)
                {%- endif %}
            ), ','), '}')
    end
{%- endmacro %}

{#- Spark: one top-level member of a JSON object as JSON text (Spark's from_json gives a string
    member unquoted, so strings are quoted again; other values keep Jackson's text). -#}
{% macro spark__json_member_json(json_expression, key_expression) -%}
    case
        when schema_of_variant(from_json({{ json_expression }}, 'map<string,variant>')[{{ key_expression }}]) = 'STRING'
            then to_json(from_json({{ json_expression }}, 'map<string,variant>')[{{ key_expression }}])
        else from_json({{ json_expression }}, 'map<string,string>')[{{ key_expression }}]
    end
{%- endmacro %}
