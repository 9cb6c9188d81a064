{#- Column types as dbt-postgres reports them, but for two:
    - an array is reported as `ARRAY`, which is no type: unit tests cast fixture values to it and
      fail (stg_supervisely__activity_rows.reject_reasons is text[]). Reported here by the array
      type's name (`_text`, which PostgreSQL accepts as a type).
    - `text` is reported as `character varying`: the two are the same type for every purpose in
      PostgreSQL, but string functions return text where a contract creates varchar columns, so an
      incremental run's on_schema_change check would take a text column for a changed type. -#}
{% macro postgres__get_columns_in_relation(relation) -%}
    {% call statement('get_columns_in_relation', fetch_result=True) %}
        select
            column_name,
            case data_type
                when 'ARRAY' then udt_name
                when 'text' then 'character varying'
                else data_type
            end as data_type,
            character_maximum_length,
            numeric_precision,
            numeric_scale
        from {{ relation.information_schema('columns') }}
        where
            table_name = '{{ relation.identifier }}'
            {% if relation.schema %}
            and table_schema = '{{ relation.schema }}'
            {% endif %}
        order by ordinal_position
    {% endcall %}
    {% set table = load_result('get_columns_in_relation').table %}
    {{ return(sql_convert_columns_in_relation(table)) }}
{%- endmacro %}
