{#- The shape of a raw export file, from its name. `ignored` files (hidden files such as an
    extractor's half-written `.x.tmp`, and notes in Markdown) are not data; `unsupported` ones are
    listed by stg_supervisely__export_files and fail a warning test, so none is skipped unseen. -#}
{% macro raw_file_format(path_expression) -%}
    case
        when regexp_matches({{ path_expression }}, '(^|/)\.[^/]*$') then 'ignored'
        when regexp_matches(lower({{ path_expression }}), '\.md$') then 'ignored'
        when regexp_matches(lower({{ path_expression }}), '\.(jsonl|ndjson)(\.gz)?$') then 'json_lines'
        when regexp_matches(lower({{ path_expression }}), '\.json$') then 'json_document'
        when regexp_matches(lower({{ path_expression }}), '\.csv(\.gz)?$') then 'csv'
        when regexp_matches(lower({{ path_expression }}), '\.parquet$') then 'parquet'
        else 'unsupported'
    end
{%- endmacro %}

{#- The team an export belongs to: the `team_id=<n>` folder in its path (the records carry no
    team), else `default_team_id` (the var of that name, passed by the caller so that unit tests
    can override it), else null (quarantined as missing_team). -#}
{% macro team_id_from_path(path_expression, default_team_id='') -%}
    {%- set default_team_id = default_team_id | string | trim -%}
    coalesce(
        try_cast(nullif(regexp_extract({{ path_expression }}, '(^|/)team_id=([0-9]+)(/|$)', 2), '') as bigint)
        {%- if default_team_id %}, cast({{ default_team_id | int }} as bigint){% endif %}
    )
{%- endmacro %}

