{#- The raw files of one format, listed when the model runs, as a list of paths (the readers take
    explicit lists because DuckDB's file readers fail on a pattern that matches nothing).
    Text files that are not valid UTF-8 (a CSV saved by Excel in cp1252, say) would make the
    reader fail the whole build and print the offending line, personal data included, in the log:
    they are left out here and listed instead under the pseudo-format `undecodable`, which
    base_supervisely__activity_undecodable turns into one quarantined row per file. A model that
    lists several formats passes the `undecodable` list it already has, so no file is decoded
    twice. `loaded`, a relation with a `source_file` column, leaves out the files it already
    holds (incremental runs read only new files). -#}
{% macro raw_export_files(files_relation, source_format, undecodable=none, loaded=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set text_formats = ['json_lines', 'json_document', 'csv'] -%}
    {%- set formats = text_formats if source_format == 'undecodable' else [source_format] -%}
    {%- set query -%}
        select file
        from {{ files_relation }}
        where
            {{ raw_file_format('file') }} in ('{{ formats | join("', '") }}')
            {%- if loaded is not none %}
            and file not in (select source_file from {{ loaded }} where source_file is not null)
            {%- endif %}
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

{#- The staging table of parsed rows, when this run adds to it: the raw readers (ephemeral models,
    compiled into it) then read only files it does not hold yet. None on a full build. On the
    landing target, the files `labeling-analytics load` shipped before (its table landed_files). -#}
{% macro parsed_rows_relation() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if target.name == 'landing' -%}
        {{ return(adapter.get_relation(database=this.database, schema=target.schema, identifier='landed_files')) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=this.database, schema=this.schema, identifier='stg_supervisely__activity_rows'
    )) }}
{%- endmacro %}

{#- Export files are immutable once loaded: an incremental run reads only new files, so a file
    rewritten in place (or appended to) would leave the warehouse out of step with it. Fails with
    what to do; a loaded file that is gone only warns (its rows stay in the warehouse). -#}
{% macro assert_loaded_raw_files_unchanged(loaded, files_relation) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set listing -%}
        select loaded.source_file, present.file is not null as is_present
        from {{ loaded }} as loaded
        left join {{ files_relation }} as present
            on loaded.source_file = present.file
        where loaded.size_bytes is not null
        order by loaded.source_file
    {%- endset -%}
    {%- set rows = run_query(listing).rows -%}
    {%- set present = [] -%}
    {%- set missing = [] -%}
    {%- for row in rows -%}
        {%- do (present if row[1] else missing).append(row[0]) -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {%- do exceptions.warn(
            missing | length ~ " export file(s) loaded earlier are no longer under the raw folder (first: "
            ~ missing[0] ~ "): their rows stay in the warehouse; a --full-refresh would drop them."
        ) -%}
    {%- endif -%}
    {%- if present | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set check -%}
        select loaded.source_file
        from {{ loaded }} as loaded
        inner join read_blob({{ sql_path_list(present) }}) as current_file
            on loaded.source_file = current_file.filename
        where
            loaded.size_bytes <> current_file.size
            or loaded.modified_at <> cast(current_file.last_modified as timestamp)
        order by loaded.source_file
    {%- endset -%}
    {%- set changed = run_query(check).columns[0].values() | list -%}
    {%- if changed | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            changed | length ~ " export file(s) changed after they were loaded (first: " ~ changed[0]
            ~ "). Exports are append-only: deliver new or corrected data as a new file (a rewritten"
            ~ " file is not read again), or rebuild everything with `dbt build --full-refresh`."
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- One row per path, column `source_file`: plain SQL, for a list the model already holds. -#}
{% macro sql_path_rows(paths) -%}
    {%- for path in paths %}
    select '{{ path | replace("'", "''") }}' as source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
