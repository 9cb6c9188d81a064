-- Files under the raw folder that no reader takes (neither JSON, JSON Lines, CSV nor Parquet):
-- their rows reach no model, so the build says so. Rename or convert them, or move them out.
{{ config(severity='warn') }}

select
    source_file,
    source_format
from {{ ref('stg_supervisely__export_files') }}
where source_format = 'unsupported'
