{#- Settings of the session a model is built in (a pre-hook of every model, see dbt_project.yml).
    PostgreSQL: no nested-loop joins. Its planner has no statistics for a CTE that is read twice
    (and so materialized), estimates a row or two where there are thousands, and picks nested
    loops that rescan an aggregate per row: int_item_visits took 150 s instead of 0.5 s on 70,000
    events. Hash and merge joins are right for every model here. And no JIT compilation: it
    spends longer compiling this project's wide expressions than running them (the incremental
    stg_supervisely__activity_rows: 23 s with JIT, 4 s without). DuckDB needs nothing. -#}
{% macro session_settings() -%}
    {{ return(adapter.dispatch('session_settings', 'labeling_analytics')()) }}
{%- endmacro %}

{% macro default__session_settings() -%}
{%- endmacro %}

{% macro postgres__session_settings() -%}
    set enable_nestloop = off;
    set jit = off
{%- endmacro %}
