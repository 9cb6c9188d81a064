{#- Whether a double is a finite number (not NaN, not +/-infinity). -#}
{% macro is_finite(double_expression) -%}
    {{ return(adapter.dispatch('is_finite', 'labeling_analytics')(double_expression)) }}
{%- endmacro %}

{% macro duckdb__is_finite(double_expression) -%}
    isfinite({{ double_expression }})
{%- endmacro %}

{% macro spark__is_finite(double_expression) -%}
    (not isnan({{ double_expression }}) and abs({{ double_expression }}) < double('infinity'))
{%- endmacro %}
