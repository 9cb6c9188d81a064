{#- Raw text that may hold personal data (a quarantined record) with the values of `ip`,
    `newEmail` and `oldEmail`, and anything shaped like an e-mail or IP address, replaced. -#}
{% macro redact_pii_text(text_expression) -%}
    {{ return(adapter.dispatch('redact_pii_text', 'labeling_analytics')(text_expression)) }}
{%- endmacro %}

{% macro duckdb__redact_pii_text(text_expression) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        {{ text_expression }},
                        '(["''](ip|newEmail|oldEmail)["'']\s*:\s*)"(?:[^"\\]|\\.)*"', '\1"<redacted>"', 'g'
                    ),
                    '(["''](ip|newEmail|oldEmail)["'']\s*:\s*)''(?:[^''\\]|\\.)*''', '\1''<redacted>''', 'g'
                ),
                '[^\s"''<>@\\,]+@[^\s"''<>@\\,]+', '<email>', 'g'
            ),
            '\b([0-9]{1,3}\.){3}[0-9]{1,3}\b', '<ip>', 'g'
        ),
        '\b([0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|[0-9a-fA-F:]*::[0-9a-fA-F:]*', '<ip>', 'g'
    )
{%- endmacro %}

{#- PostgreSQL: the same patterns, `\y` being its word boundary (RE2's `\b`). -#}
{% macro postgres__redact_pii_text(text_expression) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        {{ text_expression }},
                        '(["''](ip|newEmail|oldEmail)["'']\s*:\s*)"(?:[^"\\]|\\.)*"', '\1"<redacted>"', 'g'
                    ),
                    '(["''](ip|newEmail|oldEmail)["'']\s*:\s*)''(?:[^''\\]|\\.)*''', '\1''<redacted>''', 'g'
                ),
                '[^\s"''<>@\\,]+@[^\s"''<>@\\,]+', '<email>', 'g'
            ),
            '\y([0-9]{1,3}\.){3}[0-9]{1,3}\y', '<ip>', 'g'
        ),
        '\y([0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\y|[0-9a-fA-F:]*::[0-9a-fA-F:]*', '<ip>', 'g'
    )
{%- endmacro %}

{#- Spark: the same patterns in Java regular expressions (replacement groups are $1) and Spark
    string literals (a backslash written \\, a quote ''). -#}
{% macro spark__redact_pii_text(text_expression) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        {{ text_expression }},
                        '(["''](ip|newEmail|oldEmail)["'']\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"', '$1"<redacted>"'
                    ),
                    '(["''](ip|newEmail|oldEmail)["'']\\s*:\\s*)''(?:[^''\\\\]|\\\\.)*''', '$1''<redacted>'''
                ),
                '[^\\s"''<>@\\\\,]+@[^\\s"''<>@\\\\,]+', '<email>'
            ),
            '\\b([0-9]{1,3}\\.){3}[0-9]{1,3}\\b', '<ip>'
        ),
        '\\b([0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\\b|[0-9a-fA-F:]*::[0-9a-fA-F:]*', '<ip>'
    )
{%- endmacro %}
