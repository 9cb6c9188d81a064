-- Nothing is dropped or doubled on the way from the files to staging: for every export file, the
-- rows it holds (counted by stg_supervisely__export_files apart from the readers) equal its
-- staged events + duplicates + rejected rows. Returns the files where that fails.
with

files as (
    select
        source_file,
        raw_row_count
    from {{ ref('stg_supervisely__export_files') }}
    where source_format not in ('ignored', 'unsupported')
),

events as (
    select
        source_file,
        count(*) as row_count
    from {{ ref('stg_supervisely__activity') }}
    group by source_file
),

duplicates as (
    select
        source_file,
        count(*) as row_count
    from {{ ref('stg_supervisely__activity_duplicates') }}
    group by source_file
),

rejected as (
    select
        source_file,
        count(*) as row_count
    from {{ ref('stg_supervisely__activity_rejected') }}
    group by source_file
),

staged_files as (
    select source_file from events
    union
    select source_file from duplicates
    union
    select source_file from rejected
),

compared as (
    select
        coalesce(files.source_file, staged_files.source_file) as source_file,
        files.raw_row_count,
        coalesce(events.row_count, 0) as event_rows,
        coalesce(duplicates.row_count, 0) as duplicate_rows,
        coalesce(rejected.row_count, 0) as rejected_rows
    from files
    full outer join staged_files
        on files.source_file = staged_files.source_file
    left join events
        on coalesce(files.source_file, staged_files.source_file) = events.source_file
    left join duplicates
        on coalesce(files.source_file, staged_files.source_file) = duplicates.source_file
    left join rejected
        on coalesce(files.source_file, staged_files.source_file) = rejected.source_file
)

select *
from compared
where
    raw_row_count is null
    or raw_row_count <> event_rows + duplicate_rows + rejected_rows
