{#- dbt-spark accepts only its own incremental strategies and builds their SQL itself: these two
    overrides of its macros let Spark use the project's `replace_partitions` strategy (see
    replace_partitions.sql) and hand every other strategy back to dbt-spark. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'replace_partitions' -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'replace_partitions' -%}
        {{ get_incremental_replace_partitions_sql({
            'target_relation': target,
            'temp_relation': source,
            'dest_columns': adapter.get_columns_in_relation(target),
        }) }}
    {%- else -%}
        {{ dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) }}
    {%- endif -%}
{%- endmacro %}
