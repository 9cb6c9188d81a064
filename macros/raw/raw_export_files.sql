{#- The raw files of one format, listed when the model runs, as a list of paths. The readers
    take explicit lists because DuckDB's file readers fail on a pattern that matches nothing. -#}
{% macro raw_export_files(files_relation, source_format) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select file
        from {{ files_relation }}
        where {{ raw_file_format('file') }} = '{{ source_format }}'
        order by file
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{#- A SQL list literal of paths. -#}
{% macro sql_path_list(paths) -%}
    [{% for path in paths %}'{{ path | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endmacro %}
