{#- Personal data (ip, e-mail addresses) leaves staging only as a salted sha256, or not at all.
    The salt is the session variable `pii_salt`, which the project's dbt-duckdb plugin sets from
    LABELING_ANALYTICS_PII_SALT, so the salt never appears in compiled SQL. Without a salt the
    value is dropped (null): an unsalted hash of an IPv4 address can be reversed by brute force. -#}
{% macro hash_pii(expression) -%}
    {{ return(adapter.dispatch('hash_pii', 'labeling_analytics')(expression)) }}
{%- endmacro %}

{% macro duckdb__hash_pii(expression) -%}
    case
        when getvariable('pii_salt') is not null and {{ expression }} is not null
            then sha256(getvariable('pii_salt') || lower(trim({{ expression }})))
    end
{%- endmacro %}

{#- PostgreSQL: the salt is the setting `labeling_analytics.pii_salt`, which the caller sets for
    the session through libpq (PGOPTIONS="-c labeling_analytics.pii_salt=..."), so it is not in
    the SQL either. Unset or empty, personal data is dropped. -#}
{% macro postgres__hash_pii(expression) -%}
    case
        when nullif(current_setting('labeling_analytics.pii_salt', true), '') is not null and {{ expression }} is not null
            then encode(sha256(convert_to(
                current_setting('labeling_analytics.pii_salt', true) || lower(trim({{ expression }})), 'UTF8'
            )), 'hex')
    end
{%- endmacro %}
