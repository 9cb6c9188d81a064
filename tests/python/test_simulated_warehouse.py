"""A simulated team, built for real: staging keeps every event once and quarantines exactly the injected rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from labeling_analytics.simulator import TRUTH_DIR

from .conftest import Build


@pytest.fixture
def db(simulated: tuple[Path, Build]) -> duckdb.DuckDBPyConnection:
    out, build = simulated
    connection = build.connect()
    for name in ("bad_rows", "files", "events_by_action"):
        connection.execute(f"create temp view truth_{name} as select * from '{out / TRUTH_DIR / name}.parquet'")
    return connection


def test_quarantine_holds_exactly_the_injected_rows(
    simulated: tuple[Path, Build], db: duckdb.DuckDBPyConnection
) -> None:
    out = str(simulated[0]) + "/"
    mismatches = db.execute(
        """
        with staged as (
            select replace(source_file, ?, '') as source_file, source_row_number, reject_reason
            from staging.stg_supervisely__activity_rejected
        )
        select *
        from staged
        full join truth_bad_rows as truth using (source_file, source_row_number)
        where staged.reject_reason is distinct from truth.reject_reason
        """,
        [out],
    ).fetchall()
    assert mismatches == []
    reasons = db.execute("select count(distinct reject_reason) from staging.stg_supervisely__activity_rejected")
    assert reasons.fetchone() == (14,)


def test_every_event_staged_once_and_every_repeat_marked(db: duckdb.DuckDBPyConnection) -> None:
    staged = db.execute(
        """
        select team_id, user_id, cast(occurred_at as date) as activity_date, action, count(*) as events
        from staging.stg_supervisely__activity
        group by all
        """
    ).fetchall()
    expected = db.execute(
        "select team_id, user_id, activity_date, action, events from truth_events_by_action"
    ).fetchall()
    assert sorted(staged) == sorted(expected)
    duplicates = db.execute("select count(*) from staging.stg_supervisely__activity_duplicates").fetchone()
    assert duplicates == db.execute("select sum(duplicates) from truth_files").fetchone()
    assert duplicates[0] > 50


def test_raw_rows_add_up_per_file(simulated: tuple[Path, Build], db: duckdb.DuckDBPyConnection) -> None:
    out = str(simulated[0]) + "/"
    rows = db.execute(
        """
        with staged as (
            select replace(source_file, ?, '') as source_file, count(*) as raw_rows
            from staging.stg_supervisely__activity_rows
            group by all
        )
        select truth.source_file, staged.raw_rows, truth.events + truth.duplicates + truth.bad_rows
        from truth_files as truth
        left join staged using (source_file)
        where staged.raw_rows is distinct from truth.events + truth.duplicates + truth.bad_rows
        """,
        [out],
    ).fetchall()
    assert rows == []
    late = db.execute("select count(*) from truth_files where source_file like '%activity-late-%'").fetchone()
    assert late[0] > 0
