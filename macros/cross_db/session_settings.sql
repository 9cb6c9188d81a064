{#- Settings of the session a model is built in (a pre-hook of every model, see dbt_project.yml).
    PostgreSQL has no statistics for a CTE that is read twice (and so materialized): it estimates
    a row or two where there are thousands, and then
    - picks nested loops that rescan an aggregate per row (int_item_visits: 150 s instead of
      0.5 s on 70,000 events): enable_nestloop = off;
    - reorders joins into a product: incremental int_item_visits joined the timeline to itself
      per member before joining the visits (minutes): join_collapse_limit = 1 keeps the order the
      model writes its joins in (the facts first, then what they look up), which is right for
      every model here.
    And no JIT compilation: it spends longer compiling the wide expressions than running them
    (the incremental stg_supervisely__activity_rows: 23 s with JIT, 4 s without).
    DuckDB needs none of this. -#}
{% macro session_settings() -%}
    {{ return(adapter.dispatch('session_settings', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__session_settings() -%}
{%- endmacro %}

{% macro postgres__session_settings() -%}
    set enable_nestloop = off;
    set join_collapse_limit = 1;
    set jit = off
{%- endmacro %}
