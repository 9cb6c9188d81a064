{#- Mart contracts name DuckDB's types. Spark calls text `string` and has no `varchar` without a
    length: dbt checks a contract by casting null to each declared type, so on Spark a declared
    `varchar` is checked as `string`. Every other declared type (bigint, boolean, date, double,
    timestamp) is Spark's own name. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name] -%}
        {%- set declared = column.get('data_type') -%}
        {%- if declared is string and declared.strip().lower() == 'varchar' -%}
            {%- set column = dict(column, data_type='string') -%}
        {%- endif -%}
        {%- do translated.update({name: column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}

{#- Seeds declare their text columns `varchar` too: on Spark they are created (and loaded) as
    `string`, by translating the declared types before dbt-spark's own macro runs. -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- for name in column_types -%}
        {%- if column_types[name] is string and column_types[name].strip().lower() == 'varchar' -%}
            {%- do column_types.update({name: 'string'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{%- endmacro %}

{#- dbt-spark's session connection pastes seed values into SQL as '<value>' without escaping: a
    quote in a description breaks the statement, and an empty cell becomes the text 'None'. On
    Spark, seed rows are written as escaped literals instead (null for an empty cell). -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- set column_name = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_types.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- elif value is boolean -%}
                        cast({{ 'true' if value else 'false' }} as {{ type }})
                    {%- elif value is number -%}
                        cast({{ value }} as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            ){% if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
