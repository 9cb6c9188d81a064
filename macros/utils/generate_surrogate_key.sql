{#- A deterministic md5 key over a list of SQL expressions; a null field and an empty string
    hash differently. Named and shaped after dbt_utils.generate_surrogate_key. -#}
{% macro generate_surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('generate_surrogate_key', 'labeling_analytics')(field_list)) }}
{%- endmacro %}

{% macro default__generate_surrogate_key(field_list) -%}
    md5(concat(
        {%- for field in field_list %}
        coalesce(cast({{ field }} as {{ dbt.type_string() }}), '_dbt_null_'){% if not loop.last %}, '-',{% endif %}
        {%- endfor %}
    ))
{%- endmacro %}
