{#- One row per team and project (grain: team_id, project_id), with its latest display name. -#}
{{ entity_dimension('project', 'project_id', 'project_name') }}
