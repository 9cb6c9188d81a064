"""`labeling-analytics load` ships each export file once, whole, into PostgreSQL (a real throwaway
cluster) or Spark's Parquet landing folder; a changed file stops it, a removed one is reported."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg2
import pytest

from .conftest import SAMPLE_DIR
from .engines import check, postgres_cluster, run_tool


def load(target: str, raw: Path, env: dict[str, str], workdir: Path, *extra: str) -> str:
    return check(
        run_tool(["labeling-analytics", "load", "--target", target, "--raw-dir", str(raw), *extra], env, workdir)
    )


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The sample without team 2, which a test delivers later."""
    folder = tmp_path / "raw"
    shutil.copytree(SAMPLE_DIR, folder)
    shutil.move(folder / "team_id=2", tmp_path / "team_id=2")
    return folder


@pytest.fixture(scope="module")
def postgres_env() -> Iterator[dict[str, str]]:
    with postgres_cluster() as env:
        yield env


def connect(env: dict[str, str]) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host=env["LABELING_ANALYTICS_PG_HOST"],
        port=int(env["LABELING_ANALYTICS_PG_PORT"]),
        user=env["LABELING_ANALYTICS_PG_USER"],
        dbname=env["LABELING_ANALYTICS_PG_DATABASE"],
    )


def landing_rows(env: dict[str, str]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(files: source_file, source_format, raw_row_count, records), and every record's key."""
    with connect(env) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select f.source_file, f.source_format, f.raw_row_count, count(r.source_file)"
            " from landing.export_files as f left join landing.activity_records as r using (source_file)"
            " group by 1, 2, 3 order by 1"
        )
        files = cursor.fetchall()
        cursor.execute("select source_file, source_row_number from landing.activity_records order by 1, 2")
        return files, cursor.fetchall()


def reset(env: dict[str, str]) -> None:
    with connect(env) as connection, connection.cursor() as cursor:
        cursor.execute("drop schema if exists landing cascade")


def test_postgres_load_is_incremental_and_idempotent(raw: Path, tmp_path: Path, postgres_env: dict[str, str]) -> None:
    reset(postgres_env)
    first = load("postgres", raw, postgres_env, tmp_path)
    assert "new files (0 loaded earlier)" in first
    files, records = landing_rows(postgres_env)
    assert files and all("team_id=2" not in name for name, *_ in files)
    shutil.move(tmp_path / "team_id=2", raw / "team_id=2")
    second = load("postgres", raw, postgres_env, tmp_path)
    assert f"({len(files)} loaded earlier)" in second
    files, records = landing_rows(postgres_env)
    assert any("team_id=2" in name for name, *_ in files)
    # Every raw row of every readable file is a record, once.
    for name, source_format, raw_row_count, landed in files:
        if source_format not in ("ignored", "unsupported"):
            assert landed == raw_row_count, name
    assert len(records) == len(set(records))
    again = load("postgres", raw, postgres_env, tmp_path)
    assert "0 new files" in again
    assert landing_rows(postgres_env) == (files, records)


def test_postgres_load_refuses_a_changed_file_and_reports_a_removed_one(
    raw: Path, tmp_path: Path, postgres_env: dict[str, str]
) -> None:
    reset(postgres_env)
    load("postgres", raw, postgres_env, tmp_path)
    before = landing_rows(postgres_env)
    changed = sorted((raw / "team_id=1").rglob("*.jsonl"))[0]
    with changed.open("a", encoding="utf-8") as out:
        out.write('{"action": "login", "userId": 1, "date": "2024-05-01T10:00:00Z"}\n')
    result = run_tool(
        ["labeling-analytics", "load", "--target", "postgres", "--raw-dir", str(raw)], postgres_env, tmp_path
    )
    assert result.returncode != 0
    assert "changed after they were loaded" in result.stderr and changed.name in result.stderr
    assert landing_rows(postgres_env) == before
    changed.unlink()
    output = load("postgres", raw, postgres_env, tmp_path)
    assert "warning: 1 export file(s) loaded earlier are no longer under the raw folder" in output
    assert landing_rows(postgres_env) == before


def parquet_rows(folder: Path) -> list[tuple[object, ...]]:
    parts = sorted(str(p) for p in (folder / "activity_records").glob("*.parquet"))
    if not parts:
        return []
    return duckdb.execute("select source_file, source_row_number from read_parquet(?) order by all", [parts]).fetchall()


def test_spark_landing_survives_an_unfinished_load(raw: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    load("spark", raw, {}, tmp_path, "--landing-dir", str(landing))
    first = parquet_rows(landing)
    assert first and len(first) == len(set(first))
    # A load that died after writing its records but before its listing: the next load removes the
    # records (their files are not listed as loaded) and ships those files again, once.
    shutil.move(tmp_path / "team_id=2", raw / "team_id=2")
    load("spark", raw, {}, tmp_path, "--landing-dir", str(landing))
    complete = parquet_rows(landing)
    newest = sorted((landing / "export_files").glob("load-*.parquet"))[-1]
    newest.unlink()
    output = load("spark", raw, {}, tmp_path, "--landing-dir", str(landing))
    assert "did not finish" in output
    assert parquet_rows(landing) == complete
    assert "0 new files" in load("spark", raw, {}, tmp_path, "--landing-dir", str(landing))
    assert parquet_rows(landing) == complete
    assert len(complete) == len(set(complete)) > len(first)
