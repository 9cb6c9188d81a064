"""`labeling-analytics load --target postgres|spark`: the exports under the raw folder into the
`landing` source of an engine that does not read files itself. Idempotent: a file is shipped once
(known by its path); a loaded file that changed stops the load; one that is gone is reported."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg2

from .landing import LoadError, export_files, read_exports
from .parquet import ParquetLanding
from .postgres import PostgresLanding


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "load",
        help="load the export files into PostgreSQL or Spark (the `landing` source)",
        description=(
            "Read the exports under the raw folder with the project's DuckDB readers and ship the files not "
            "loaded yet: into PostgreSQL's landing schema with COPY (connection from LABELING_ANALYTICS_PG_*), "
            "or as Parquet files that Spark reads (LABELING_ANALYTICS_SPARK_LANDING_DIR). Then run "
            "`dbt build --target postgres` (or spark)."
        ),
    )
    parser.add_argument("--target", choices=("postgres", "spark"), required=True)
    parser.add_argument(
        "--raw-dir",
        default=os.environ.get("LABELING_ANALYTICS_RAW_DIR") or "data/raw",
        help="the export folder, as dbt is given it (default: LABELING_ANALYTICS_RAW_DIR, else data/raw)",
    )
    parser.add_argument(
        "--landing-dir",
        type=Path,
        default=Path(os.environ.get("LABELING_ANALYTICS_SPARK_LANDING_DIR") or "warehouse/spark-landing"),
        help="spark: the Parquet folder (default: LABELING_ANALYTICS_SPARK_LANDING_DIR, else warehouse/spark-landing)",
    )
    parser.add_argument(
        "--schema",
        default=os.environ.get("LABELING_ANALYTICS_LANDING_SCHEMA") or "landing",
        help="postgres: the landing schema (default: LABELING_ANALYTICS_LANDING_SCHEMA, else landing)",
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="the dbt project (default: here)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = args.project_dir.resolve()
    if not (project / "dbt_project.yml").exists():
        raise ValueError(f"{project} is not the labeling-analytics project: run from its folder or give --project-dir")
    if not Path(project, args.raw_dir).is_dir():
        raise ValueError(f"the raw folder '{args.raw_dir}' does not exist (relative paths start at {project})")
    started = time.monotonic()
    try:
        # The destination first: a database that cannot be reached fails before the exports are read.
        destination = (
            PostgresLanding(args.schema)
            if args.target == "postgres"
            else ParquetLanding(Path(project, args.landing_dir))
        )
        with tempfile.TemporaryDirectory(prefix="labeling-analytics-load-") as work, destination as sink:
            loaded = sink.loaded_files()
            print(f"reading the exports under {args.raw_dir} with DuckDB ({len(loaded)} files loaded earlier)")
            database = read_exports(project, args.raw_dir, Path(work), loaded)
            with duckdb.connect(str(database)) as landing:
                present = export_files(landing)
                new_files = [f.source_file for f in present if f.source_file not in loaded]
                print(f"{len(new_files)} new files ({len(present) - len(new_files)} loaded earlier)")
                records = sink.add(landing, new_files) if new_files else 0
    except LoadError as error:
        raise ValueError(str(error)) from error
    except psycopg2.OperationalError as error:
        raise ValueError(
            f"cannot reach PostgreSQL ({str(error).strip()}); set LABELING_ANALYTICS_PG_HOST, _PORT, _USER, "
            "_PASSWORD and _DATABASE as for `dbt --target postgres`"
        ) from error
    print(
        f"loaded {len(new_files)} files ({records:,} records) into {args.target} in {time.monotonic() - started:.1f} s"
    )
    return 0
