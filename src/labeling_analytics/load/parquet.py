"""Ship landed exports as Parquet files that Spark reads as the `landing` source.

Layout: `<dir>/export_files/load-<id>.parquet` and `<dir>/activity_records/load-<id>.parquet`, one
pair per load. A file is written under a hidden name (Spark skips names that start with `.`) and
renamed when complete; the records go first and the listing last, so a load that died half-way
left records without a listing, which the next load removes before it looks at what is loaded."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .landing import ExportFile, new_rows_queries

TABLES = ("activity_records", "export_files")


class ParquetLanding:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for table in TABLES:
            (folder / table).mkdir(parents=True, exist_ok=True)
        self._remove_unfinished()

    def __enter__(self) -> ParquetLanding:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        return None

    def _parts(self, table: str) -> list[Path]:
        return sorted((self.folder / table).glob("load-*.parquet"))

    def _remove_unfinished(self) -> None:
        listed = {path.name for path in self._parts("export_files")}
        for path in self._parts("activity_records"):
            if path.name not in listed:
                print(f"removing {path}: its load did not finish")
                path.unlink()
        for table in TABLES:
            for path in (self.folder / table).glob(".load-*"):
                path.unlink()

    def loaded_files(self) -> dict[str, ExportFile]:
        parts = self._parts("export_files")
        if not parts:
            return {}
        rows = duckdb.execute(
            "select source_file, source_format, size_bytes, modified_at, raw_row_count from read_parquet(?)",
            [[str(path) for path in parts]],
        ).fetchall()
        return {row[0]: ExportFile(*row) for row in rows}

    def add(self, landing: duckdb.DuckDBPyConnection, new_files: list[str]) -> int:
        name = f"load-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}.parquet"
        copied = 0
        for table, query in new_rows_queries(landing, new_files).items():
            final = self.folder / table / name
            partial = final.with_name("." + name)
            landing.execute(f"copy ({query}) to '{partial}' (format parquet)")
            if table == "activity_records":
                copied = int(landing.execute(f"select count(*) from read_parquet('{partial}')").fetchone()[0])
            os.replace(partial, final)
        return copied
