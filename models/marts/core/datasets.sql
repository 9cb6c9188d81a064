{#- One row per team and dataset (grain: team_id, dataset_id), with its latest display name. -#}
{{ entity_dimension('dataset', 'dataset_id', 'dataset_name', parent_columns=['project_id']) }}
