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

{#- Spark: the input is bound to a lambda variable (a one-element array) wherever a macro reads it
    more than once, so that nested macros do not copy their input into Spark's plan again and
    again (its optimizer ran out of memory on the copies). -#}
{% macro spark__try_json(text_expression) -%}
    transform(array({{ text_expression }}), json_text -> case when try_parse_json(json_text) is not null then json_text end)[0]
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
    transform(
        array(regexp_extract(schema_of_variant(try_parse_json({{ json_expression }})), '^[A-Z]+', 0)),
        variant_type -> case variant_type
            when 'STRING' then 'VARCHAR'
            when 'VOID' then 'NULL'
            when 'DECIMAL' then 'DOUBLE'
            when 'FLOAT' then 'DOUBLE'
            when 'INT' then 'BIGINT'
            when 'SMALLINT' then 'BIGINT'
            when 'TINYINT' then 'BIGINT'
            else variant_type
        end
    )[0]
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
        {%- do added.append("concat('\"" ~ name ~ "\":', to_json(cast((" ~ value ~ ") as variant)))") -%}
    {%- endfor -%}
    {%- for name, value in json_members.items() -%}
        {%- do added.append("concat('\"" ~ name ~ "\":', " ~ value ~ ")") -%}
    {%- endfor -%}
    {{ spark__json_object_text(
        json_expression, exclude=(text_members.keys() | list) + (json_members.keys() | list), added=added
    ) }}
{%- endmacro %}


{#- Spark: a JSON object rebuilt as text from its top-level members (in their order, or sorted by
    name), leaving out those named in `exclude` and members whose value is null, then appending
    `added` (SQL expressions of `"name":value` text, null to add nothing). Null unless
    `json_expression` (valid JSON text) is an object: from_json then gives no map. -#}
{% macro spark__json_object_text(json_expression, exclude=[], added=[], sort_keys=false) -%}
    transform(
        array({{ spark__json_maps(json_expression) }}),
        parsed -> case
            when parsed.text_map is not null then concat('{', array_join(concat(
                transform(
                    {% if sort_keys %}array_sort({% endif %}filter(
                        map_keys(parsed.text_map),
                        member_key -> parsed.text_map[member_key] is not null
                        {%- if exclude %}
                            and member_key not in ('{{ exclude | join("', '") }}')
                        {%- endif %}
                    ){% if sort_keys %}){% endif %},
                    member_key -> concat(
                        to_json(cast(member_key as variant)), ':', {{ spark__json_member_json('parsed', 'member_key') }}
                    )
                ),
                {%- if added %}
                filter(array({{ added | join(', ') }}), entry -> entry is not null)
                {%- else %}
                cast(array() as array<string>)
                {%- endif %}
            ), ','), '}')
        end
    )[0]
{%- endmacro %}

{#- Spark: a JSON object's top-level members parsed once, as two maps: `text_map` (Jackson's text of
    each value: strings unquoted, numbers as written by Java) and `variant_map` (to tell strings). -#}
{% macro spark__json_maps(json_expression) -%}
    transform(array({{ json_expression }}), json_text -> named_struct(
        'text_map', from_json(json_text, 'map<string,string>'),
        'variant_map', from_json(json_text, 'map<string,variant>')
    ))[0]
{%- endmacro %}

{#- Spark: one member of parsed maps (spark__json_maps) as JSON text: a string quoted again, other
    values as Jackson wrote them. -#}
{% macro spark__json_member_json(parsed, key_expression) -%}
    case
        when schema_of_variant({{ parsed }}.variant_map[{{ key_expression }}]) = 'STRING'
            then to_json({{ parsed }}.variant_map[{{ key_expression }}])
        else {{ parsed }}.text_map[{{ key_expression }}]
    end
{%- endmacro %}
