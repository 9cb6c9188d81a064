{#- The whole numbers 0 .. 10^digits - 1 as a column `n`, from cross joins of ten digits: plain
    SQL that every engine runs (no generate_series, no recursive CTE). -#}
{% macro numbers(digits) -%}
    {%- for position in range(digits) %}
    {%- if loop.first %}
    select
        {% for p in range(digits) -%}
        d{{ p }}.n * {{ 10 ** p }}{% if not loop.last %} + {% endif %}
        {%- endfor %} as n
    from {{ digit_values() }} as d0
    {%- else %}
    cross join {{ digit_values() }} as d{{ position }}
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{% macro digit_values() -%}
    (
        {%- for digit in range(10) %}
        select {{ digit }} as n{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
