{#- One row per team and class (grain: team_id, class_id), with its latest display name. -#}
{{ entity_dimension('class', 'class_id', 'class_name', parent_columns=['project_id']) }}
