{#- Raw text that may hold personal data (a quarantined record) with the values of `ip`,
    `newEmail` and `oldEmail`, and anything shaped like an e-mail or IP address, replaced. The
    patterns are written once, in RE2 syntax as DuckDB reads them; regexp_replace_all writes them
    for each engine. -#}
{% macro redact_pii_text(text_expression) -%}
    {%- set replacements = [
        ('(["\'](ip|newEmail|oldEmail)["\']\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"', '\\1"<redacted>"'),
        ("([\"'](ip|newEmail|oldEmail)[\"']\\s*:\\s*)'(?:[^'\\\\]|\\\\.)*'", "\\1'<redacted>'"),
        ('[^\\s"\'<>@\\\\,]+@[^\\s"\'<>@\\\\,]+', '<email>'),
        ('\\b([0-9]{1,3}\\.){3}[0-9]{1,3}\\b', '<ip>'),
        ('\\b([0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\\b|[0-9a-fA-F:]*::[0-9a-fA-F:]*', '<ip>'),
    ] -%}
    {%- set redacted = namespace(sql=text_expression) -%}
    {%- for pattern, replacement in replacements -%}
        {%- set redacted.sql = regexp_replace_all(redacted.sql, pattern, replacement) -%}
    {%- endfor -%}
    {{ redacted.sql }}
{%- endmacro %}

{#- Every match of `pattern` (RE2 syntax: `\b` a word boundary, `\1` a group in the replacement)
    replaced, in the engine's regular expressions and string literals. -#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'labeling_analytics')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern | replace("'", "''") }}', '{{ replacement | replace("'", "''") }}', 'g')
{%- endmacro %}

{#- PostgreSQL's word boundary is `\y`. -#}
{% macro postgres__regexp_replace_all(expression, pattern, replacement) -%}
    {{ default__regexp_replace_all(expression, pattern | replace('\\b', '\\y'), replacement) }}
{%- endmacro %}

{#- Spark: Java regular expressions in string literals that unescape backslashes (each written
    twice), groups as $1, and every match replaced without a flag. -#}
{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    {%- set quoted = pattern | replace('\\', '\\\\') | replace("'", "''") -%}
    {%- set group = replacement | replace('\\1', '$1') | replace("'", "''") -%}
    regexp_replace({{ expression }}, '{{ quoted }}', '{{ group }}')
{%- endmacro %}
