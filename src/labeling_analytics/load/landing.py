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


def read_exports(project: Path, raw_dir: str, workdir: Path) -> Path:
    """Build the landing DuckDB database (file listing and raw records) in `workdir`; return its path."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "landing.duckdb"
    database.unlink(missing_ok=True)
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
    if result.returncode != 0:
        raise LoadError(f"reading the exports with dbt's landing target failed:\n{result.stdout[-4000:]}")
    return database


def export_files(landing: duckdb.DuckDBPyConnection) -> list[ExportFile]:
    return [
        ExportFile(*row)
        for row in landing.execute(f"select {FILE_COLUMNS} from {FILES_TABLE} order by source_file").fetchall()
    ]


def check_unchanged(landed: dict[str, ExportFile], present: list[ExportFile]) -> list[str]:
    """Fail on a loaded file that changed since; return the loaded files that are gone (a warning)."""
    current = {f.source_file: f for f in present}
    changed = [
        name
        for name, old in sorted(landed.items())
        if name in current
        and (current[name].size_bytes, current[name].modified_at) != (old.size_bytes, old.modified_at)
    ]
    if changed:
        raise LoadError(
            f"{len(changed)} export file(s) changed after they were loaded (first: {changed[0]}). Exports are "
            "append-only: deliver new or corrected data as a new file, or reload everything into an empty "
            "landing schema and rebuild with `dbt build --full-refresh`."
        )
    return sorted(set(landed) - set(current))


def new_rows_queries(landing: duckdb.DuckDBPyConnection, new_files: list[str]) -> dict[str, str]:
    """The queries, on the landing database, of the new files' records and listing rows, by landing table."""
    landing.execute("create or replace temp table new_files as select unnest(?::varchar[]) as source_file", [new_files])
    new = "where source_file in (select source_file from new_files)"
    return {
        # Records first: a listing row says its file's records are all in.
        "activity_records": f"select {RECORD_COLUMNS} from {RECORDS_TABLE} {new}",
        "export_files": f"select {FILE_COLUMNS} from {FILES_TABLE} {new}",
    }
