{#- The incremental strategy of this project: `replace_partitions`. A model rebuilds whole the
    partitions its new input touches (a member's history from some instant on, an entity, an
    event) and returns every row of them; this deletes what the target held for those partitions,
    then inserts the new rows. Unlike `delete+insert` on the grain, a row that no longer exists (two
    sessions merged by a late event) is deleted too.

    Model config:
      partition_keys   columns naming a partition (never null), e.g. ['team_id', 'user_id']
      partition_from   optional column: the partition is rebuilt from the smallest value the new
                       rows hold in it, and target rows before that are kept -#}
{% macro get_incremental_replace_partitions_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set temp_relation = arg_dict['temp_relation'] -%}
    {%- set dest_columns = arg_dict['dest_columns'] -%}
    {%- set keys = config.get('partition_keys') -%}
    {%- set from_column = config.get('partition_from') -%}
    {%- if not keys -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ model.name ~ " uses incremental_strategy='replace_partitions' without"
            ~ " partition_keys: set config(partition_keys=[...]) to the columns of its partitions."
        ) }}
    {%- endif -%}
    {%- set columns_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
    {{ return(adapter.dispatch('replace_partitions_sql', 'labeling_analytics')(
        target_relation, temp_relation, keys, from_column, columns_csv
    )) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL (DELETE ... USING with a target alias is valid in both; checked on
    PostgreSQL: an incremental build in several loads equals the full build). -#}
{% macro default__replace_partitions_sql(target_relation, temp_relation, keys, from_column, columns_csv) -%}
    delete from {{ target_relation }} as target
    using (
        select
            {{ keys | join(', ') }}
            {%- if from_column %}, min({{ from_column }}) as rebuilt_from{% endif %}
        from {{ temp_relation }}
        group by {{ keys | join(', ') }}
    ) as rebuilt
    where
        {%- for key in keys %}
        target.{{ key }} = rebuilt.{{ key }}{% if not loop.last %} and{% endif %}
        {%- endfor %}
        {%- if from_column %}
        and target.{{ from_column }} >= rebuilt.rebuilt_from
        {%- endif %};

    insert into {{ target_relation }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ temp_relation }}
{%- endmacro %}

{#- Spark without Delta (plain Parquet tables) has no DELETE: the target is rewritten whole, as
    the rows it keeps (those outside the rebuilt partitions, or before their rebuild point) plus
    the new rows. Spark cannot overwrite a table in a statement that reads it, so the result is
    first written to a scratch table beside the target, which the last statement drops. Costs a
    read and two writes of the whole table on every incremental run (the price of no DELETE). -#}
{% macro spark__replace_partitions_sql(target_relation, temp_relation, keys, from_column, columns_csv) -%}
    {%- set scratch = target_relation.incorporate(path={'identifier': target_relation.identifier ~ '__dbt_rebuild'}) -%}
    {%- do run_query('drop table if exists ' ~ scratch) -%}
    {%- set rebuild -%}
        create table {{ scratch }} using parquet as
        select {{ columns_csv }}
        from {{ target_relation }} as target
        where not exists (
            select 1
            from (
                select
                    {{ keys | join(', ') }}
                    {%- if from_column %}, min({{ from_column }}) as rebuilt_from{% endif %}
                from {{ temp_relation }}
                group by {{ keys | join(', ') }}
            ) as rebuilt
            where
                {%- for key in keys %}
                target.{{ key }} = rebuilt.{{ key }}{% if not loop.last %} and{% endif %}
                {%- endfor %}
                {%- if from_column %}
                and target.{{ from_column }} >= rebuilt.rebuilt_from
                {%- endif %}
        )
        union all
        select {{ columns_csv }} from {{ temp_relation }}
    {%- endset -%}
    {%- do run_query(rebuild) -%}
    {%- do run_query('insert overwrite table ' ~ target_relation ~ ' select ' ~ columns_csv ~ ' from ' ~ scratch) -%}
    drop table if exists {{ scratch }}
{%- endmacro %}
