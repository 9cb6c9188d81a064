{#- The raw files of one format, listed when the model runs, as a list of paths (the readers take
    explicit lists because DuckDB's file readers fail on a pattern that matches nothing).
    Text files that are not valid UTF-8 (a CSV saved by Excel in cp1252, say) would make the
    reader fail the whole build and print the offending line, personal data included, in the log:
    they are left out here and listed instead under the pseudo-format `undecodable`, which
    base_supervisely__activity_undecodable turns into one quarantined row per file. A model that
    lists several formats passes the `undecodable` list it already has, so no file is decoded
    twice. -#}
{% macro raw_export_files(files_relation, source_format, undecodable=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set text_formats = ['json_lines', 'json_document', 'csv'] -%}
    {%- set formats = text_formats if source_format == 'undecodable' else [source_format] -%}
    {%- set query -%}
        select file
        from {{ files_relation }}
        where {{ raw_file_format('file') }} in ('{{ formats | join("', '") }}')
        order by file
    {%- endset -%}
    {%- set paths = run_query(query).columns[0].values() | list -%}
    {%- if source_format not in text_formats + ['undecodable'] -%}
        {{ return(paths) }}
    {%- endif -%}
    {#- Compressed files cannot be checked without decompressing them: DuckDB's reader does that. -#}
    {%- if undecodable is not none and source_format != 'undecodable' -%}
        {{ return(paths | reject('in', undecodable) | list) }}
    {%- endif -%}
    {%- set plain = [] -%}
    {%- for path in paths if not path.lower().endswith('.gz') %}{% do plain.append(path) %}{% endfor -%}
    {%- set undecodable = [] -%}
    {%- if plain | length > 0 -%}
        {%- set check -%}
            select filename
            from read_blob({{ sql_path_list(plain) }})
            where try(decode(content)) is null
            order by filename
        {%- endset -%}
        {%- set undecodable = run_query(check).columns[0].values() | list -%}
    {%- endif -%}
    {%- if source_format == 'undecodable' -%}
        {{ return(undecodable) }}
    {%- endif -%}
    {%- set readable = [] -%}
    {%- for path in paths if path not in undecodable %}{% do readable.append(path) %}{% endfor -%}
    {{ return(readable) }}
{%- endmacro %}

{#- A SQL list literal of paths. -#}
{% macro sql_path_list(paths) -%}
    [{% for path in paths %}'{{ path | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endmacro %}
