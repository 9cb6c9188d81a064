{#- The folder exports land in: the `raw_root` var, else LABELING_ANALYTICS_RAW_DIR, else
    data/raw; without a trailing slash. -#}
{% macro raw_root() -%}
    {%- set root = (var('raw_root', env_var('LABELING_ANALYTICS_RAW_DIR', 'data/raw')) | string).strip() -%}
    {{ return(root.rstrip('/') or root) }}
{%- endmacro %}

{#- The shape of a raw export file, from its path. `ignored`: not data (anything hidden below the
    raw folder, such as an extractor's half-written `.x.tmp` or `.ipynb_checkpoints/`, and notes in
    Markdown or text). `unsupported`: a file no reader takes, or whose name DuckDB would read as a
    pattern (`[`, `]`, `*`, `?`, `{`, `}`); stg_supervisely__export_files lists these and the test
    assert_no_unsupported_raw_files fails on them, so no file is skipped unseen. -#}
{% macro raw_file_format(path_expression) -%}
    {%- set root = raw_root() -%}
    {%- set relative_path -%}
        case
            when starts_with({{ path_expression }}, '{{ root | replace("'", "''") }}/')
                then substr({{ path_expression }}, {{ root | length + 2 }})
            else {{ path_expression }}
        end
    {%- endset -%}
    case
        when regexp_matches({{ relative_path }}, '(^|/)\.[^/]') then 'ignored'
        when regexp_matches(lower({{ path_expression }}), '\.(md|txt)$') then 'ignored'
        when regexp_matches({{ path_expression }}, '[\[\]*?{}]') then 'unsupported'
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
