{#- The pandas CSV export writes `meta` as a Python repr: {'duration': 30, 'source': None}.
    This turns such text into JSON text without guessing: it splits the text into quoted strings
    and the runs between them, rewrites each string's escapes for JSON (\' -> ', \xhh -> \u00hh,
    a bare " -> \") and, outside strings only, None/True/False/nan/inf to null/true/false/null.
    Text that is still not valid JSON afterwards is reported by the caller (meta_not_object). -#}
{% macro python_literal_to_json(text_expression) -%}
    {{ return(adapter.dispatch('python_literal_to_json', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__python_literal_to_json(text_expression) -%}
    array_to_string(
        list_transform(
            regexp_extract_all(
                {{ text_expression }},
                '''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|[^''"]+'
            ),
            lambda token: case
                when token[1] in ('''', '"')
                    then '"' || array_to_string(
                        list_transform(
                            regexp_extract_all(token[2:-2], '\\x[0-9a-fA-F]{2}|\\.|[^\\]+'),
                            lambda piece: case
                                when piece[1:2] = '\x' then '\u00' || piece[3:]
                                when piece = '\''' then ''''
                                when piece[1] = '\' then piece
                                else replace(piece, '"', '\"')
                            end
                        ),
                        ''
                    ) || '"'
                else regexp_replace(
                    regexp_replace(
                        regexp_replace(token, '\bNone\b|-?\b(nan|inf)\b', 'null', 'g'),
                        '\bTrue\b', 'true', 'g'
                    ),
                    '\bFalse\b', 'false', 'g'
                )
            end
        ),
        ''
    )
{%- endmacro %}

{#- PostgreSQL: the same tokens, from regexp_matches in order; `\y` is PostgreSQL's word boundary
    (RE2's `\b`). -#}
{% macro postgres__python_literal_to_json(text_expression) -%}
    (
        select
            string_agg(
                case
                    when left(tokens.token[1], 1) in ('''', '"')
                        then '"' || coalesce((
                            select
                                string_agg(
                                    case
                                        when left(pieces.piece[1], 2) = '\x' then '\u00' || substr(pieces.piece[1], 3)
                                        when pieces.piece[1] = '\''' then ''''
                                        when left(pieces.piece[1], 1) = '\' then pieces.piece[1]
                                        else replace(pieces.piece[1], '"', '\"')
                                    end,
                                    '' order by pieces.position
                                )
                            from regexp_matches(
                                substr(tokens.token[1], 2, length(tokens.token[1]) - 2),
                                '\\x[0-9a-fA-F]{2}|\\.|[^\\]+', 'g'
                            ) with ordinality as pieces (piece, position)
                        ), '') || '"'
                    else regexp_replace(
                        regexp_replace(
                            regexp_replace(tokens.token[1], '\yNone\y|-?\y(nan|inf)\y', 'null', 'g'),
                            '\yTrue\y', 'true', 'g'
                        ),
                        '\yFalse\y', 'false', 'g'
                    )
                end,
                '' order by tokens.position
            )
        from regexp_matches(
            {{ text_expression }},
            '''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|[^''"]+', 'g'
        ) with ordinality as tokens (token, position)
    )
{%- endmacro %}

{#- Spark: the same tokens and rewrites, in Java regular expressions and Spark string literals
    (where a backslash is written \\ and a quote ''). -#}
{% macro spark__python_literal_to_json(text_expression) -%}
    array_join(
        transform(
            regexp_extract_all(
                {{ text_expression }},
                '''(?:[^''\\\\]|\\\\.)*''|"(?:[^"\\\\]|\\\\.)*"|[^''"]+',
                0
            ),
            token -> case
                when substr(token, 1, 1) in ('''', '"')
                    then concat('"', array_join(
                        transform(
                            regexp_extract_all(
                                substr(token, 2, length(token) - 2), '\\\\x[0-9a-fA-F]{2}|\\\\.|[^\\\\]+', 0
                            ),
                            piece -> case
                                when substr(piece, 1, 2) = '\\x' then concat('\\u00', substr(piece, 3))
                                when piece = '\\''' then ''''
                                when substr(piece, 1, 1) = '\\' then piece
                                else replace(piece, '"', '\\"')
                            end
                        ),
                        ''
                    ), '"')
                else regexp_replace(
                    regexp_replace(
                        regexp_replace(token, '\\bNone\\b|-?\\b(nan|inf)\\b', 'null'),
                        '\\bTrue\\b', 'true'
                    ),
                    '\\bFalse\\b', 'false'
                )
            end
        ),
        ''
    )
{%- endmacro %}
