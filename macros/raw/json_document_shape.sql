{#- What a JSON export file holds, from its text: `list` (a list whose elements are records or
    API response pages), `page` (one response page: an object with `entities`), `record` (any
    other JSON value, read as one record), `lines` (not one document, but lines of which at least
    one is a JSON object: JSON Lines saved as .json, perhaps with a broken line) or `malformed`. -#}
{% macro json_document_kind(text_expression) -%}
    {{ return(adapter.dispatch('json_document_kind', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__json_document_kind(text_expression) -%}
    case
        when json_type(try_cast({{ text_expression }} as json)) = 'ARRAY' then 'list'
        when {{ json_has_any_member('try_cast(' ~ text_expression ~ ' as json)', ['entities']) }} then 'page'
        when try_cast({{ text_expression }} as json) is not null then 'record'
        when list_bool_or(list_transform(
            string_split({{ text_expression }}, chr(10)),
            lambda line: coalesce(json_type(try_cast(line as json)) = 'OBJECT', false)
        ))
            then 'lines'
        else 'malformed'
    end
{%- endmacro %}

{#- The records of a JSON export document of kind list, page or record (see json_document_kind),
    in file order: the entities of each page (a page whose `entities` is null holds none), and
    every other element as a record of its own. -#}
{% macro json_document_records(text_expression) -%}
    {{ return(adapter.dispatch('json_document_records', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__json_document_records(text_expression) -%}
    flatten(list_transform(
        case
            when json_type(try_cast({{ text_expression }} as json)) = 'ARRAY'
                then json_extract(try_cast({{ text_expression }} as json), '$[*]')
            else [try_cast({{ text_expression }} as json)]
        end,
        lambda element: case
            when json_type(element, '$.entities') = 'ARRAY' then json_extract(element, '$.entities[*]')
            when {{ json_has_any_member('element', ['entities']) }} and json_type(element, '$.entities') = 'NULL'
                then []
            else [element]
        end
    ))
{%- endmacro %}

{#- Engines that do not read export files: see reader_unavailable. -#}
{% macro default__json_document_kind(text_expression) -%}
    {{ reader_unavailable('json_document_kind') }}
{%- endmacro %}

{% macro default__json_document_records(text_expression) -%}
    {{ reader_unavailable('json_document_records') }}
{%- endmacro %}

{#- The records a JSON document file holds, counted apart from the reader: non-blank lines for
    `lines`, one for `malformed`, else the records json_document_records finds. -#}
{% macro json_document_row_count(text_expression) -%}
    {{ return(adapter.dispatch('json_document_row_count', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__json_document_row_count(text_expression) -%}
    case {{ json_document_kind(text_expression) }}
        when 'lines'
            then len(list_filter(
                    string_split({{ text_expression }}, chr(10)), lambda line: not {{ is_blank('line') }}
                ))
        when 'malformed' then 1
        else len({{ json_document_records(text_expression) }})
    end
{%- endmacro %}

{% macro default__json_document_row_count(text_expression) -%}
    {{ reader_unavailable('json_document_row_count') }}
{%- endmacro %}
