"""Copy the warehouse into a file that BI tools can open: their DuckDB drivers often lag behind.

The warehouse is written by duckdb 2.0 in its own storage format (`v2.0.0+`), which DuckDB 1.x
readers (Metabase's community driver, Evidence, an older duckdb-engine) cannot open. This writes a
copy in an older format, then renames it over the target, so a tool reading the old copy is never
given half a file, and `make build` never waits on the tool's lock.

    .venv/bin/python scripts/bi_copy.py --out /srv/bi/labeling_analytics.duckdb [--storage-version v1.2.0]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

DEFAULT_SOURCE = "warehouse/labeling_analytics.duckdb"  # profiles/profiles.yml, target dev
# What DuckDB 1.2 and later read; the oldest format that holds every type the marts use.
DEFAULT_STORAGE_VERSION = "v1.2.0"
SCHEMAS = ("marts", "reference")  # what BI tools read (README, "Connect a BI tool")


def copy(source: Path, out: Path, storage_version: str) -> dict[str, int]:
    """Write the BI schemas of `source` to `out`; return the rows of each table copied."""
    if not source.is_file():
        raise SystemExit(f"error: no warehouse at {source}: run make build first")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    connection = duckdb.connect()
    try:
        connection.execute("attach ? as warehouse (read_only)", [str(source)])
        connection.execute(f"attach ? as bi (storage_version '{storage_version}')", [str(partial)])
        rows = {}
        for schema in SCHEMAS:
            connection.execute(f"create schema bi.{schema}")
            tables = connection.execute(
                "select table_name from duckdb_tables() where database_name = 'warehouse' and schema_name = ?",
                [schema],
            ).fetchall()
            for (table,) in tables:
                name = f"{schema}.{table}"
                connection.execute(f"create table bi.{name} as select * from warehouse.{name}")
                rows[name] = connection.execute(f"select count(*) from bi.{name}").fetchone()[0]  # type: ignore[index]
        connection.execute("detach bi")
    finally:
        connection.close()
    os.replace(partial, out)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=Path(os.environ.get("LABELING_ANALYTICS_DUCKDB_PATH") or DEFAULT_SOURCE)
    )
    parser.add_argument("--out", type=Path, required=True, help="the copy BI tools open")
    parser.add_argument(
        "--storage-version", default=DEFAULT_STORAGE_VERSION, help="DuckDB storage format (default %(default)s)"
    )
    args = parser.parse_args()
    rows = copy(args.source, args.out, args.storage_version)
    print(f"wrote {args.out} (storage {args.storage_version}): {len(rows)} tables, {sum(rows.values()):,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
