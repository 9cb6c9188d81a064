{#- One spelling per JSON object, so the same `meta` hashes alike whichever shape delivered it:
    members whose value is null are removed (recursively; a Parquet struct has every key of the
    file, a JSON record only its own) and top-level keys are sorted (JSON keeps the API's order,
    Parquet the schema's). Returns null for anything that is not an object. -#}
{% macro canonical_json_object(json_expression) -%}
    {{ return(adapter.dispatch('canonical_json_object', 'labeling_analytics')(json_expression)) }}
{%- endmacro %}

{% macro duckdb__canonical_json_object(json_expression) -%}
    case
        when json_type({{ json_expression }}) = 'OBJECT'
            then cast(list_transform(
                -- A one-element list binds the stripped object to a name, computed once.
                [json_merge_patch('{}', {{ json_expression }})],
                lambda stripped: case
                    -- Most objects have one key, or keys already in order: nothing to rebuild.
                    when json_keys(stripped) = list_sort(json_keys(stripped)) then cast(stripped as varchar)
                    else '{' || array_to_string(
                        list_transform(
                            list_sort(json_keys(stripped)),
                            lambda member_key: to_json(member_key) || ':' || json_extract(
                                stripped, '$."' || replace(member_key, '"', '\"') || '"'
                            )
                        ),
                        ','
                    ) || '}'
                end
            )[1] as json)
    end
{%- endmacro %}

{#- jsonb holds no key order and a serialization (json_to_text) sorts the keys, so only the
    null members need to go. -#}
{% macro postgres__canonical_json_object(json_expression) -%}
    case
        when jsonb_typeof({{ json_expression }}) = 'object' then jsonb_strip_nulls({{ json_expression }})
    end
{%- endmacro %}

{#- Spark: top-level null members removed and keys sorted, as on DuckDB. Nested objects keep
    their null members (DuckDB removes them); equal records still get equal text. -#}
{% macro spark__canonical_json_object(json_expression) -%}
    {{ spark__json_object_text(json_expression, sort_keys=true) }}
{%- endmacro %}
