"""Read the export files with the project's own DuckDB readers (dbt's `landing` target), so that every
engine stages exactly the records DuckDB's staging reads."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

FILES_TABLE = "staging.stg_supervisely__export_files"
LANDED_FILES_TABLE = "main.landed_files"
FILE_COLUMNS = "source_file, source_format, size_bytes, modified_at, raw_row_count"
RECORDS_TABLE = "main.landing_activity_records"
RECORD_COLUMNS = "source_file, source_format, source_row_number, record_text"


class LoadError(RuntimeError):
    """A load that must not go on; the message says what to do."""


@dataclass(frozen=True)
class ExportFile:
    source_file: str
    source_format: str
    size_bytes: int | None
    modified_at: datetime | None
    raw_row_count: int | None


def read_exports(project: Path, raw_dir: str, workdir: Path, landed: dict[str, ExportFile]) -> Path:
    """Build the landing DuckDB database in `workdir` and return its path: the listing of every file
    under the raw folder, and the records of the files not `landed` yet. The `landed` files are
    written into it first, as the incremental state of its file listing, so that dbt's own checks
    run: a landed file that changed fails (with what to do), one that is gone warns."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "landing.duckdb"
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema staging")
        connection.execute(
            f"create table {FILES_TABLE} (source_file varchar, source_format varchar, team_id bigint,"
            " size_bytes bigint, modified_at timestamp, raw_row_count bigint, loaded_at timestamp)"
        )
        files = list(landed.values())
        connection.execute(
            f"insert into {FILES_TABLE} select unnest(?::varchar[]), unnest(?::varchar[]), null,"
            " unnest(?::bigint[]), unnest(?::timestamp[]), unnest(?::bigint[]), timestamp '1970-01-01'",
            [
                [f.source_file for f in files],
                [f.source_format for f in files],
                [f.size_bytes for f in files],
                [f.modified_at for f in files],
                [f.raw_row_count for f in files],
            ],
        )
        # What the raw readers leave out on the landing target (macro parsed_rows_relation).
        connection.execute(f"create table {LANDED_FILES_TABLE} as select source_file from {FILES_TABLE}")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "LABELING_ANALYTICS_LANDING_DUCKDB_PATH": str(database),
        "LABELING_ANALYTICS_DUCKDB_TEMP_DIR": str(workdir / "tmp"),
        "LABELING_ANALYTICS_RAW_DIR": raw_dir,
    }
    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [
        dbt, "run", "--target", "landing", "--no-use-colors", "--no-partial-parse",
        "--select", "stg_supervisely__export_files landing_activity_records",
        "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    lines = [line.split("  ", 1)[-1] for line in (result.stdout + result.stderr).splitlines()]  # without dbt's clock
    for line in lines:
        if "export file(s)" in line:  # the listing's warnings (macro assert_loaded_raw_files_unchanged)
            print(f"warning: {line}")
    if result.returncode != 0:
        first = next((i for i, line in enumerate(lines) if "Error in" in line), max(0, len(lines) - 12))
        raise LoadError(
            "reading the exports failed; nothing was loaded:\n"
            + "\n".join(lines[first : first + 12])
            + "\nTo reload everything on PostgreSQL or Spark: drop the landing schema (or folder), load again,"
            " then `dbt build --full-refresh`."
        )
    return database


def export_files(landing: duckdb.DuckDBPyConnection) -> list[ExportFile]:
    return [
        ExportFile(*row)
        for row in landing.execute(f"select {FILE_COLUMNS} from {FILES_TABLE} order by source_file").fetchall()
    ]


def new_rows_queries(landing: duckdb.DuckDBPyConnection, new_files: list[str]) -> dict[str, str]:
    """The queries, on the landing database, of the new files' records and listing rows, by landing table."""
    landing.execute("create or replace temp table new_files as select unnest(?::varchar[]) as source_file", [new_files])
    new = "where source_file in (select source_file from new_files)"
    return {
        # Records first: a listing row says its file's records are all in.
        "activity_records": f"select {RECORD_COLUMNS} from {RECORDS_TABLE} {new}",
        "export_files": f"select {FILE_COLUMNS} from {FILES_TABLE} {new}",
    }
