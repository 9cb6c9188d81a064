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
