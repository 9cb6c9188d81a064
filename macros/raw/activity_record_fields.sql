{#- The fields of an activity record (the 18 of the API plus `type`, which some exports use
    instead of `action`), and the staging column each becomes. One list, read by every model
    that needs it, so a field is added in one place. -#}
{% macro activity_id_fields() -%}
    {{ return({
        'userId': 'user_id',
        'projectId': 'project_id',
        'datasetId': 'dataset_id',
        'imageId': 'image_id',
        'classId': 'class_id',
        'figureId': 'figure_id',
        'jobId': 'job_id',
        'tagId': 'tag_id',
    }) }}
{%- endmacro %}

{% macro activity_name_fields() -%}
    {{ return({
        'user': 'user_name',
        'project': 'project_name',
        'dataset': 'dataset_name',
        'image': 'image_name',
        'class': 'class_name',
        'job': 'job_name',
        'tag': 'tag_name',
    }) }}
{%- endmacro %}

{#- The ids that identify an event, in the order they are hashed into event_id. The older
    13-field export has all but job_id and tag_id. Display names are left out on purpose: they
    change with renames, and an export made after a rename must still match the earlier one. -#}
{% macro activity_event_key_ids(include_extended=true) -%}
    {%- set ids = ['user_id', 'project_id', 'dataset_id', 'image_id', 'class_id', 'figure_id'] -%}
    {%- if include_extended -%}
        {%- set ids = ids + ['job_id', 'tag_id'] -%}
    {%- endif -%}
    {{ return(ids) }}
{%- endmacro %}
