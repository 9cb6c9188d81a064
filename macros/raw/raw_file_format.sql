{#- The folder exports land in: the `raw_root` var, else LABELING_ANALYTICS_RAW_DIR, else (also
    when either is empty) data/raw; spelled as DuckDB's glob() spells the paths it returns
    (`./x` and `x/` are `x`, `a//b` is `a/b`). -#}
{% macro raw_root() -%}
    {%- set given = (var('raw_root', env_var('LABELING_ANALYTICS_RAW_DIR', '')) | string).strip() or 'data/raw' -%}
    {%- set parts = [] -%}
    {%- for part in given.split('/') if part not in ('', '.') -%}
        {#- glob() resolves `x/..` but keeps a leading `..`. -#}
        {%- if part == '..' and parts and parts[-1] != '..' -%}
            {%- do parts.pop() -%}
        {%- else -%}
            {%- do parts.append(part) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set prefix = '/' if given.startswith('/') else '' -%}
    {{ return(prefix ~ parts | join('/') if parts else (prefix or '.')) }}
{%- endmacro %}

{#- How many path segments the raw folder itself has, as glob() returns paths under it. -#}
{% macro raw_root_depth() -%}
    {%- set root = raw_root() -%}
    {%- if root in ('.', '/') -%}
        {{ return(1 if root == '/' else 0) }}
    {%- endif -%}
    {{ return(root.split('/') | length) }}
{%- endmacro %}

{#- The shape of a raw export file, from its path. `ignored`: not data (anything hidden below the
    raw folder, such as an extractor's half-written `.x.tmp` or `.ipynb_checkpoints/`, and notes in
    Markdown or text). `unsupported`: a file no reader takes, or whose name DuckDB would read as a
    pattern (`[`, `]`, `*`, `?`, `{`, `}`); stg_supervisely__export_files lists these and the test
    assert_no_unsupported_raw_files fails on them, so no file is skipped unseen. -#}
{% macro raw_file_format(path_expression) -%}
    case
        -- Hidden below the raw folder (the folder itself may sit in a hidden one).
        when list_bool_or(list_transform(
            string_split({{ path_expression }}, '/')[{{ raw_root_depth() + 1 }}:],
            lambda part: starts_with(part, '.')
        )) then 'ignored'
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
    {{ return(adapter.dispatch('team_id_from_path', 'labeling_analytics')(path_expression, default_team_id)) }}
{%- endmacro %}

{% macro duckdb__team_id_from_path(path_expression, default_team_id) -%}
    coalesce(
        try_cast(nullif(regexp_extract({{ path_expression }}, '(^|/)team_id=([0-9]+)(/|$)', 2), '') as bigint)
        {%- if default_team_id %}, cast({{ default_team_id | int }} as bigint){% endif %}
    )
{%- endmacro %}

{#- PostgreSQL: substring() returns the first group; a number beyond bigint gives null. -#}
{% macro postgres__team_id_from_path(path_expression, default_team_id) -%}
    coalesce(
        case
            when cast(substring({{ path_expression }} from '(?:^|/)team_id=([0-9]{1,19})(?:/|$)') as numeric)
                <= 9223372036854775807
                then cast(substring({{ path_expression }} from '(?:^|/)team_id=([0-9]{1,19})(?:/|$)') as bigint)
        end
        {%- if default_team_id %}, cast({{ default_team_id | int }} as bigint){% endif %}
    )
{%- endmacro %}

{#- Spark: regexp_extract as DuckDB's; a number beyond bigint gives null (ANSI mode is off). -#}
{% macro spark__team_id_from_path(path_expression, default_team_id) -%}
    coalesce(
        cast(nullif(regexp_extract({{ path_expression }}, '(^|/)team_id=([0-9]+)(/|$)', 2), '') as bigint)
        {%- if default_team_id %}, cast({{ default_team_id | int }} as bigint){% endif %}
    )
{%- endmacro %}
