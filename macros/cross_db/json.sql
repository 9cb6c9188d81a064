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

{#- Spark: JSON values are JSON text (Spark's VARIANT would rewrite numbers, 150.0 as 150, where
    DuckDB and Spark's Jackson keep 150.0, and event_id hashes that text). A macro that reads its
    input more than once binds it to a lambda variable (a one-element array), so that nested
    macros do not copy their input into Spark's plan again and again: the copies multiplied from
    CTE to CTE until the optimizer ran out of memory. -#}
{#- Spark: JSON as DuckDB reads it, also NaN/Infinity (read as strings, as the PostgreSQL port
    does) and trailing commas: text that Spark's strict parser rejects is read again with those
    rewritten outside its strings. -#}
{% macro spark__try_parse_json(text_expression) -%}
    transform(array({{ text_expression }}), json_text -> case
        when try_parse_json(json_text) is not null then json_text
        else transform(
            array(array_join(transform(
                regexp_extract_all(json_text, '"(?:[^"\\\\]|\\\\.)*"|[^"]+|"', 0),
                token -> case
                    when substr(token, 1, 1) = '"' then token
                    else regexp_replace(
                        regexp_replace(token, '(-?)\\b(NaN|Infinity)\\b', '"$1$2"'),
                        ',(\\s*[\\]}])', '$1'
                    )
                end
            ), '')),
            lenient_text -> case when try_parse_json(lenient_text) is not null then lenient_text end
        )[0]
    end)[0]
{%- endmacro %}

{% macro spark__json_is_object(json_expression) -%}
    (schema_of_variant(try_parse_json({{ json_expression }})) like 'OBJECT%')
{%- endmacro %}

{% macro spark__json_is_string(json_expression) -%}
    (schema_of_variant(try_parse_json({{ json_expression }})) = 'STRING')
{%- endmacro %}

{% macro spark__json_string_value(json_expression) -%}
    variant_get(try_parse_json({{ json_expression }}), '$', 'string')
{%- endmacro %}

{#- Spark: already compact text, written by Jackson (keys as the object had them: the canonical
    objects this is used on have sorted keys). -#}
{% macro spark__json_to_text(json_expression) -%}
    {{ json_expression }}
{%- endmacro %}

{#- Spark: a member value that is a JSON object is set as that object; any other value is text
    and is set as a JSON string (the project patches in objects and hashes). -#}
{% macro spark__json_patch_members(json_expression, members) -%}
    {%- set added = [] -%}
    {%- for name, value in members.items() -%}
        {%- do added.append(
            "transform(array(" ~ value ~ "), member_value -> concat('\"" ~ name ~ "\":', case"
            ~ " when schema_of_variant(try_parse_json(member_value)) like 'OBJECT%' then member_value"
            ~ " else to_json(cast(member_value as variant)) end))[0]"
        ) -%}
    {%- endfor -%}
    {{ spark__json_object_text(json_expression, exclude=members.keys() | list, added=added) }}
{%- endmacro %}

{% macro spark__json_without_members(json_expression, names) -%}
    {{ spark__json_object_text(json_expression, exclude=names) }}
{%- endmacro %}

{#- Spark: a JSON object rebuilt as text from its top-level members (in their order, or sorted by
    name), leaving out those named in `exclude` and members whose value is null (as a merge patch
    does), then appending `added` (SQL expressions of `"name":value` text; null adds nothing).
    Null unless `json_expression` (valid JSON text) is an object: from_json then gives no map. -#}
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
                        to_json(cast(member_key as variant)), ':', {{ spark__json_maps_member('parsed', 'member_key') }}
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

{#- Spark: a JSON object's top-level members parsed once, as two maps: `text_map` (Jackson's text
    of each value: strings unquoted, numbers as Java writes them) and `variant_map` (to tell the
    strings). Both null when the text is no object. -#}
{% macro spark__json_maps(json_expression) -%}
    transform(array({{ json_expression }}), json_text -> named_struct(
        'text_map', from_json(json_text, 'map<string,string>'),
        'variant_map', from_json(json_text, 'map<string,variant>')
    ))[0]
{%- endmacro %}

{#- Spark: one member of parsed maps (spark__json_maps) as JSON text: a string quoted again, other
    values as Jackson wrote them, a JSON null as null. -#}
{% macro spark__json_maps_member(parsed, key_expression) -%}
    case
        when schema_of_variant({{ parsed }}.variant_map[{{ key_expression }}]) = 'STRING'
            then to_json({{ parsed }}.variant_map[{{ key_expression }}])
        else {{ parsed }}.text_map[{{ key_expression }}]
    end
{%- endmacro %}
