{#- What a JSON export file holds, from its text: `pages` (a list whose every element is an API
    response page),
    `page` (one response page with `entities`), `records` (a list of records), `record` (any
    other JSON value, read as one record), `lines` (not one document, but its first non-blank line
    is a JSON object: JSON Lines saved as .json) or `malformed`. -#}
{% macro json_document_kind(text_expression) -%}
    {{ return(adapter.dispatch('json_document_kind', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__json_document_kind(text_expression) -%}
    case
        when
            json_type(try_cast({{ text_expression }} as json), '$[0].entities') = 'ARRAY'
            and list_bool_and(list_transform(
                json_extract(try_cast({{ text_expression }} as json), '$[*]'),
                lambda element: coalesce(json_type(element, '$.entities') = 'ARRAY', false)
            ))
            then 'pages'
        when json_type(try_cast({{ text_expression }} as json), '$.entities') = 'ARRAY' then 'page'
        when json_type(try_cast({{ text_expression }} as json)) = 'ARRAY' then 'records'
        when try_cast({{ text_expression }} as json) is not null then 'record'
        when
            json_type(try_cast(
                list_filter(
                    string_split({{ text_expression }}, chr(10)), lambda line: not {{ is_blank('line') }}
                )[1] as json
            )) = 'OBJECT'
            then 'lines'
        else 'malformed'
    end
{%- endmacro %}
