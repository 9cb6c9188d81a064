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

{#- Spark: the salt is the Spark conf spark.labeling_analytics.pii_salt, which the profile sets
    from LABELING_ANALYTICS_PII_SALT (empty when unset); Spark substitutes ${...} when it parses
    the statement, so the compiled SQL holds only the placeholder. A salt must not contain a quote
    or a backslash (a hex token is best). Shorter than 16 characters fails, as on DuckDB. -#}
{% macro spark__hash_pii(expression) -%}
    case
        when length('${spark.labeling_analytics.pii_salt}') = 0 or {{ expression }} is null then null
        when length('${spark.labeling_analytics.pii_salt}') < 16
            then raise_error('LABELING_ANALYTICS_PII_SALT is shorter than 16 characters')
        else sha2(concat('${spark.labeling_analytics.pii_salt}', lower(trim({{ expression }}))), 256)
    end
{%- endmacro %}
