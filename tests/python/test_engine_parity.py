"""The same models on DuckDB, PostgreSQL and Spark give the same marts, row for row.

One seeded simulation (two teams, every export shape, heavy noise) is built three ways:
- PostgreSQL (a throwaway 15 cluster on 127.0.0.1) and Spark (a local session) get the files through
  `labeling-analytics load`, in two deliveries: the first days, then the rest, with seeds and models
  built after the first and `dbt build` (every data and unit test) after the second. So their incremental
  models are exercised too, and must still agree with DuckDB's full build;
- DuckDB reads the same raw folder (same paths) itself, in one `dbt build`, at the end.
Each engine's marts are copied into a DuckDB file with the reference warehouse's column types and
compared with warehouse_diff: as multisets of rows, doubles rounded to 9 significant digits (never
finer than 1e-6), `loaded_at` left out (it records when a row was written)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import pytest

from .conftest import PROJECT_ROOT, TEST_SALT, Build, build_warehouse
from .deliveries import Batch, deliver, exports_by_day
from .engines import check, ensure_java, postgres_cluster, run_tool
from .test_metrics import check_configs_validate, check_member_weeks, check_review_weeks, metricflow
from .warehouse_diff import compare_warehouses, quote

SCHEMA = "marts"
BUILD_SECONDS: dict[str, float] = {}


# All of them in `make test`; LABELING_ANALYTICS_PARITY_ENGINES=postgres narrows a local run.
ENGINES = tuple(os.environ.get("LABELING_ANALYTICS_PARITY_ENGINES", "postgres,spark").split(","))


@dataclass(frozen=True)
class Parity:
    warehouses: dict[str, Path]  # the reference ("duckdb") and each engine's marts copied into DuckDB files
    envs: dict[str, dict[str, str]]  # each engine's target settings, its server still running


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, simulated: tuple[Path, Build]) -> Iterator[Parity]:
    """Every engine built on one raw folder, delivered in two batches; DuckDB's full build of it last."""
    exports, _ = simulated
    days = list(exports_by_day(exports).values())
    half = len(days) // 2
    batches = [
        Batch("first days", tuple(f for files in days[:half] for f in files)),
        Batch("the rest", tuple(f for files in days[half:] for f in files)),
    ]
    raw = tmp_path_factory.mktemp("parity-raw")
    if "spark" in ENGINES:
        ensure_java()
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="labeling-analytics-parity-")))
        common = {"LABELING_ANALYTICS_RAW_DIR": str(raw), "LABELING_ANALYTICS_PII_SALT": TEST_SALT}
        envs = {
            "postgres": {
                **common,
                # The salt reaches PostgreSQL as a session setting (macro hash_pii), never in SQL.
                "PGOPTIONS": f"-c labeling_analytics.pii_salt={TEST_SALT}",
                **stack.enter_context(postgres_cluster()),
            }
            if "postgres" in ENGINES
            else {},
            "spark": {
                **common,
                "LABELING_ANALYTICS_SPARK_WAREHOUSE_DIR": str(work / "spark-warehouse"),
                "LABELING_ANALYTICS_SPARK_LANDING_DIR": str(work / "spark-landing"),
            },
        }
        for number, batch in enumerate(batches, start=1):
            deliver(batch, exports, raw)
            last = number == len(batches)
            for engine in ENGINES:
                started = time.monotonic()
                folder = work / engine
                check(
                    run_tool(
                        ["labeling-analytics", "load", "--target", engine, "--raw-dir", str(raw)], envs[engine], folder
                    )
                )
                # The first batch: seeds and models; the last: everything, every data and unit test included.
                verb = ["build"] if last else ["build", "--resource-type", "seed", "--resource-type", "model"]
                output = check(run_tool(["dbt", *verb, "--target", engine], envs[engine], folder))
                if last:
                    assert " ERROR=0 " in output and " SKIP=0 " in output, output[-3000:]
                BUILD_SECONDS[engine] = BUILD_SECONDS.get(engine, 0.0) + time.monotonic() - started
        started = time.monotonic()
        build = build_warehouse(raw, work / "duckdb")
        BUILD_SECONDS["duckdb"] = time.monotonic() - started
        assert build.result.returncode == 0, build.result.stdout[-4000:]
        fetchers = {"postgres": postgres_csv, "spark": spark_csv}
        marts = {
            engine: copy_marts(build.database, work / f"{engine}.duckdb", fetchers[engine](envs[engine]), work)
            for engine in ENGINES
        }
        yield Parity({"duckdb": build.database, **marts}, envs)


def copy_marts(reference: Path, out: Path, fetch_csv: Callable[[str, list[str], Path], None], scratch: Path) -> Path:
    """The engine's marts in a DuckDB file, with the reference's tables and column types."""
    with duckdb.connect(str(out)) as copy:
        copy.execute("set TimeZone = 'UTC'")
        copy.execute(f"attach '{reference}' as ref (read_only)")
        copy.execute(f"create schema {SCHEMA}")
        tables = copy.execute(
            "select table_name from information_schema.tables where table_catalog = 'ref' and table_schema = ?",
            [SCHEMA],
        ).fetchall()
        for (table,) in tables:
            columns = copy.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'ref' and table_schema = ? and table_name = ? order by ordinal_position",
                [SCHEMA, table],
            ).fetchall()
            csv = scratch / f"{table}.csv"
            fetch_csv(table, [name for name, _ in columns], csv)
            types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns)
            copy.execute(
                f"create table {SCHEMA}.{quote(table)} as select * from read_csv('{csv}', header = false, "
                f"columns = {{{types}}}, auto_detect = false, quote = '\"', escape = '\"', nullstr = '')"
            )
    return out


def postgres_csv(env: dict[str, str]) -> Callable[[str, list[str], Path], None]:
    def fetch(table: str, columns: list[str], path: Path) -> None:
        with (
            psycopg2.connect(
                host=env["LABELING_ANALYTICS_PG_HOST"],
                port=int(env["LABELING_ANALYTICS_PG_PORT"]),
                user=env["LABELING_ANALYTICS_PG_USER"],
                dbname=env["LABELING_ANALYTICS_PG_DATABASE"],
            ) as connection,
            connection.cursor() as cursor,
            path.open("w", encoding="utf-8") as out,
        ):
            listed = ", ".join(quote(c) for c in columns)
            # Booleans as true/false; doubles in their shortest exact text (PostgreSQL 12 and later).
            cursor.copy_expert(f"copy (select {listed} from {SCHEMA}.{quote(table)}) to stdout with (format csv)", out)

    return fetch


def spark_csv(env: dict[str, str]) -> Callable[[str, list[str], Path], None]:
    from pyspark.sql import SparkSession

    warehouse = env["LABELING_ANALYTICS_SPARK_WAREHOUSE_DIR"]
    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .enableHiveSupport()
        .getOrCreate()
    )

    def fetch(table: str, columns: list[str], path: Path) -> None:
        frame = session.table(f"{SCHEMA}.{table}").select(*columns)
        copy = duckdb.connect()
        copy.execute("set TimeZone = 'UTC'")
        arrow = frame.toArrow()
        copy.register("rows", arrow)
        copy.execute(f"copy (select * from rows) to '{path}' (format csv, header false)")
        copy.close()

    return fetch


@pytest.mark.parametrize("engine", ENGINES)
def test_marts_equal_duckdb(engine: str, built: Parity) -> None:
    warehouses = built.warehouses
    comparison = compare_warehouses(warehouses["duckdb"], warehouses[engine], [SCHEMA], labels=("duckdb", engine))
    # The build times, for the README's figures: test-output/engine-parity.json.
    report = PROJECT_ROOT / "test-output" / "engine-parity.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(
        json.dumps({"build_seconds": BUILD_SECONDS, "rows": {t.table: t.rows[0] for t in comparison.tables}}, indent=1)
    )
    assert len(comparison.tables) >= 15, comparison.summary()
    assert sum(t.rows[0] or 0 for t in comparison.tables) > 1000, comparison.summary()
    assert comparison.equal, comparison.report()


@pytest.mark.skipif("postgres" not in ENGINES, reason="LABELING_ANALYTICS_PARITY_ENGINES leaves PostgreSQL out")
def test_the_semantic_layer_runs_on_postgres(built: Parity, tmp_path: Path) -> None:
    """`mf` on the PostgreSQL target: the configs validate against its warehouse, and its metrics equal
    its own marts. (MetricFlow has no adapter for Spark: its list is Athena, BigQuery, Databricks,
    DuckDB, PostgreSQL, Redshift, Snowflake, Trino and Vertica.)"""
    mf = metricflow(tmp_path / "project", {**built.envs["postgres"], "LABELING_ANALYTICS_TARGET": "postgres"})
    check_configs_validate(mf)
    check_member_weeks(mf, built.warehouses["postgres"])
    check_review_weeks(mf, built.warehouses["postgres"])
