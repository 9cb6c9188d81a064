-- Files under the raw folder that no reader takes: neither JSON, JSON Lines, CSV nor Parquet, or
-- with a name DuckDB would read as a pattern ([ ] * ? { }). Their rows would reach no model, so
-- the build stops. Convert or rename them, or move them out of the raw folder (hidden files and
-- *.md / *.txt notes are ignored).
select
    source_file,
    source_format
from {{ ref('stg_supervisely__export_files') }}
where source_format = 'unsupported'
