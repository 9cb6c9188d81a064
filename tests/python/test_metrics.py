"""The semantic layer (models/semantic/) through MetricFlow's own CLI, `mf`, against a real warehouse
built from simulated teams: its configs validate against the warehouse, and the metrics it
computes equal what the marts publish, by member and ISO week, by member and job, by project, by
class, and over a time window."""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from .conftest import TEST_SALT, Build, project_copy

REQUIRED_METRICS = [
    "active_labeling_hours", "objects_created", "labeling_speed", "avg_seconds_per_object",
    "acceptance_rate", "review_hours", "avg_review_seconds", "items_submitted", "rework_rate",
    "job_labeling_hours", "job_labeling_speed", "job_seconds_per_object", "review_acceptance_rate",
    "rejected_images", "resubmitted_after_rejection_images",
]  # fmt: skip

Row = dict[str, str]


@dataclass(frozen=True)
class MetricFlow:
    """`mf` run in a copy of the project (mf reads <project>/target/semantic_manifest.json, so the
    copy keeps the real project's target/ out of it), on the warehouse of a test build."""

    project: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        mf = Path(sys.executable).with_name("mf")
        return subprocess.run(
            [str(mf), *args], cwd=self.project, env=self.env, capture_output=True, text=True, check=False
        )

    def query(self, metrics: list[str], group_by: list[str], *extra: str) -> list[Row]:
        out = self.project / "query.csv"
        result = self.run("query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by),
                          "--csv", str(out), "--quiet", *extra)  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        with out.open(newline="") as file:
            return list(csv.DictReader(file))


def metricflow(project: Path, target_env: dict[str, str]) -> MetricFlow:
    """`mf` in a new copy of the project at `project`, parsed for the target `target_env` selects."""
    project_copy(project)
    env = {**os.environ, "DBT_PROFILES_DIR": str(project / "profiles"), **target_env}
    dbt = Path(sys.executable).with_name("dbt")
    parsed = subprocess.run([str(dbt), "parse"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    return MetricFlow(project, env)


@pytest.fixture(scope="module")
def mf(simulated: tuple[Path, Build], tmp_path_factory: pytest.TempPathFactory) -> MetricFlow:
    out, build = simulated
    folder = tmp_path_factory.mktemp("mf")
    return metricflow(
        folder / "project",
        {
            "LABELING_ANALYTICS_TARGET": "test",
            "LABELING_ANALYTICS_TEST_DUCKDB_PATH": str(build.database),
            "LABELING_ANALYTICS_DUCKDB_TEMP_DIR": str(folder / "tmp"),
            "LABELING_ANALYTICS_RAW_DIR": str(out),
            "LABELING_ANALYTICS_PII_SALT": TEST_SALT,
        },
    )


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def same(expected: object, actual: float | None) -> bool:
    """Equal to 1e-9 relative, nulls equal only to nulls (a ratio without a denominator is null)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(float(expected), actual, rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[arg-type]


def compare(
    marts: dict[tuple[object, ...], dict[str, object]],
    rows: list[Row],
    key: Callable[[Row], tuple[object, ...]],
    columns: dict[str, str],
) -> None:
    """Every mart row has one metric row with the same key and equal values, and no more rows."""
    by_key = {key(row): row for row in rows}
    assert len(by_key) == len(rows), "two metric rows share a key"
    assert set(by_key) == set(marts), (
        f"keys only in the marts: {sorted(set(marts) - set(by_key), key=str)[:5]}, "
        f"only in the metrics: {sorted(set(by_key) - set(marts), key=str)[:5]}"
    )
    differences = [
        (k, metric, marts[k][mart_column], by_key[k][metric])
        for k in marts
        for metric, mart_column in columns.items()
        if not same(marts[k][mart_column], number(by_key[k][metric]))
    ]
    assert differences == [], differences[:10]


def mart_rows(database: Path, sql: str, key_width: int) -> dict[tuple[object, ...], dict[str, object]]:
    """The rows of a query on a DuckDB warehouse, by their first `key_width` columns."""
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return {tuple(row[:key_width]): dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def check_configs_validate(mf: MetricFlow) -> None:
    """`mf validate-configs` passes every stage against the warehouse of `mf`'s target."""
    result = mf.run("validate-configs")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # semantics, then semantic models, dimensions, entities, measures and metrics queried
    assert result.stdout.count("(ERRORS: 0, FUTURE_ERRORS: 0, WARNINGS: 0)") == 6, result.stdout[-3000:]


def start_of(row: Row, grain: str = "week") -> date:
    """A row's period (metric_time__<grain>); a row without one (what a measure over rows without a
    time gives) fails here. Weeks by default: the simulated days span two, so boundaries count."""
    assert row[f"metric_time__{grain}"], f"a metric row without a time: {row}"
    return date.fromisoformat(row[f"metric_time__{grain}"][:10])


def team_and_id(text: str) -> tuple[int, int]:
    """An entity that spans teams is "team:id"."""
    team, _, entity_id = text.partition(":")
    return int(team), int(entity_id)


def test_configs_validate_against_the_warehouse_and_every_metric_of_the_issue_exists(mf: MetricFlow) -> None:
    check_configs_validate(mf)
    listed = mf.run("list", "metrics")
    assert listed.returncode == 0, listed.stdout[-2000:]
    missing = [name for name in REQUIRED_METRICS if f"• {name}:" not in listed.stdout]
    assert missing == [], listed.stdout


def test_member_week_metrics_equal_member_performance(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    check_member_weeks(mf, simulated[1].database)


def check_member_weeks(mf: MetricFlow, marts_database: Path) -> None:
    """The member metrics by team, user and ISO week equal `member_performance` in `marts_database`."""
    columns = {
        "active_labeling_hours": "labeling_hours",
        "objects_created": "objects_created",
        "labeling_speed": "labeling_speed_objects_per_hour",
        "avg_seconds_per_object": "seconds_per_object",
        "acceptance_rate": "acceptance_rate",
        "items_submitted": "items_submitted",
        "reviews_performed": "reviews_performed",
        "avg_review_seconds": "seconds_per_review",
        "review_hours": "review_hours",
    }
    marts = mart_rows(
        marts_database,
        """
        select team_id, user_id, period_start, *, labeling_seconds / 3600 as labeling_hours,
            review_seconds / 3600 as review_hours
        from marts.member_performance where period = 'week'
        """,
        3,
    )
    assert len(marts) >= 12 and any(row["acceptance_rate"] is None for row in marts.values())
    rows = mf.query(list(columns), ["team", "user", "metric_time__week"])
    compare(
        marts,
        rows,
        lambda row: (int(row["team"]), int(row["user"]), start_of(row)),
        columns,
    )


def test_member_job_metrics_equal_member_job_performance(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    columns = {
        "objects_created": "objects_created",
        "items_submitted": "items_submitted",
        "acceptance_rate": "acceptance_rate",
        "reviews_performed": "reviews_performed",
        "job_labeling_hours": "labeling_hours",
        "job_labeling_speed": "labeling_speed_objects_per_hour",
        "job_seconds_per_object": "seconds_per_object",
    }
    marts = mart_rows(
        simulated[1].database,
        "select team_id, user_id, job_id, *, labeling_seconds / 3600 as labeling_hours"
        " from marts.member_job_performance",
        3,
    )
    assert len(marts) >= 10
    rows = [row for row in mf.query(list(columns), ["user", "labeling_job"]) if row["labeling_job"]]

    def key(row: Row) -> tuple[object, ...]:
        team, job = team_and_id(row["labeling_job"])
        return team, int(row["user"]), job

    compare(marts, rows, key, columns)


def test_job_metrics_equal_labeling_job_performance(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    """A job's acceptance counts every verdict given in it (the reviewer's side), as the job mart."""
    columns = {
        "review_acceptance_rate": "acceptance_rate",
        "reviews_performed": "reviews_performed",
        "objects_created": "objects_created",
        "job_labeling_speed": "labeling_speed_objects_per_hour",
        "job_seconds_per_object": "seconds_per_object",
    }
    marts = mart_rows(simulated[1].database, "select team_id, job_id, * from marts.labeling_job_performance", 2)
    assert len(marts) >= 4
    rows = [row for row in mf.query(list(columns), ["labeling_job"]) if row["labeling_job"]]
    compare(marts, rows, lambda row: team_and_id(row["labeling_job"]), columns)


def test_project_metrics_equal_the_jobs_of_each_project(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    """By project through the `projects` semantic model's name, against the job mart summed by
    the `labeling_jobs` mart's project: another path through the marts."""
    marts = mart_rows(
        simulated[1].database,
        """
        select projects.project_name, sum(jobs.objects_created) as objects_created,
            sum(jobs.items_submitted) as items_submitted
        from marts.labeling_job_performance as jobs
        inner join marts.labeling_jobs as job_names using (team_id, job_id)
        inner join marts.projects as projects using (team_id, project_id)
        group by projects.project_name
        """,
        1,
    )
    assert len(marts) >= 2
    columns = {"objects_created": "objects_created", "items_submitted": "items_submitted"}
    rows = [row for row in mf.query(list(columns), ["project__project_name"]) if row["project__project_name"]]
    compare(marts, rows, lambda row: (row["project__project_name"],), columns)


def test_figures_by_class_and_week_equal_figure_lifecycle(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    marts = mart_rows(
        simulated[1].database,
        """
        select team_id, class_id, cast(date_trunc('week', created_at) as date) as week, count(*) as figures
        from marts.figure_lifecycle
        where created_at is not null and class_id is not null
        group by all
        """,
        3,
    )
    assert len(marts) >= 4
    assert len({key[2] for key in marts}) >= 2
    rows = [row for row in mf.query(["figures_created"], ["class", "metric_time__week"]) if row["class"]]
    compare(marts, rows, lambda row: (*team_and_id(row["class"]), start_of(row)), {"figures_created": "figures"})


def test_rows_without_a_time_form_no_metric_row(mf: MetricFlow, simulated: tuple[Path, Build], tmp_path: Path) -> None:
    """Figures first seen through an edit have no creation time, items opened but never submitted no
    first submission. The simulated teams have neither, so a copy of the warehouse gets some (real
    rows again, under other ids): the metrics leave them out instead of adding a row without a week."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(simulated[1].database, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "insert into marts.figure_lifecycle by name select * replace (-figure_id as figure_id, null as created_at)"
            " from marts.figure_lifecycle"
        )
        # items only opened: no status change, so no count and no review timestamp
        counts = ("status_changes", "submissions", "review_rounds", "rework_rounds", "acceptances", "rejections",
                  "resets", "resubmissions_after_rejection")  # fmt: skip
        nulls = ("labeler_user_id", "reviewer_user_id", "final_review_status", "first_decision",
                 "seconds_to_first_verdict", "is_first_pass_accepted", "first_submitted_at", "first_verdict_at",
                 "last_status_at")  # fmt: skip
        replaced = ", ".join([*(f"0 as {c}" for c in counts), *(f"null as {c}" for c in nulls), "false as is_accepted"])
        connection.execute(
            f"insert into marts.image_review_outcomes by name select * replace (-image_id as image_id, {replaced})"
            " from marts.image_review_outcomes"
        )
        expected = connection.execute(
            """
            select
                (select count(created_at) from marts.figure_lifecycle),
                (select count(*) filter (where submissions > 0) from marts.image_review_outcomes),
                (select count(*) filter (where submissions > 0 and rejections > 0) from marts.image_review_outcomes)
            """
        ).fetchone()
    on_copy = MetricFlow(mf.project, {**mf.env, "LABELING_ANALYTICS_TEST_DUCKDB_PATH": str(copy)})
    metrics = ["figures_created", "submitted_images", "rejected_images", "reworked_images", "rework_rate"]
    rows = on_copy.query(metrics, ["team", "metric_time__week"])
    assert all(start_of(row) for row in rows)
    totals = tuple(sum(int(row[name] or 0) for row in rows) for name in metrics[:3])
    assert totals == expected


def test_rework_and_the_funnel_by_team_and_week_equal_image_review_outcomes(
    mf: MetricFlow, simulated: tuple[Path, Build]
) -> None:
    check_review_weeks(mf, simulated[1].database)


def check_review_weeks(mf: MetricFlow, marts_database: Path) -> None:
    """The image metrics by team and ISO week equal `image_review_outcomes` in `marts_database`."""
    marts = mart_rows(
        marts_database,
        """
        select team_id, cast(date_trunc('week', first_submitted_at) as date) as week, count(*) as submitted,
            count(*) filter (where rework_rounds > 0) as reworked,
            count(*) filter (where rework_rounds > 0) / count(*) as rework_rate,
            count(*) filter (where rejections > 0) as rejected,
            count(*) filter (where resubmissions_after_rejection > 0) as resubmitted
        from marts.image_review_outcomes
        where submissions > 0
        group by all
        """,
        2,
    )
    assert len({key[1] for key in marts}) >= 2 and any(0 < row["rework_rate"] < 1 for row in marts.values())  # type: ignore[operator]
    resubmitted, rejected = (sum(row[name] for row in marts.values()) for name in ("resubmitted", "rejected"))  # type: ignore[misc]
    assert 0 < resubmitted <= rejected
    columns = {
        "submitted_images": "submitted",
        "reworked_images": "reworked",
        "rework_rate": "rework_rate",
        "rejected_images": "rejected",
        "resubmitted_after_rejection_images": "resubmitted",
    }
    rows = mf.query(list(columns), ["team", "metric_time__week"])
    compare(marts, rows, lambda row: (int(row["team"]), start_of(row)), columns)


def test_a_time_window_sums_the_days_inside_it(mf: MetricFlow, simulated: tuple[Path, Build]) -> None:
    """--start-time/--end-time select the members' days, as `user_daily_activity` counts them."""
    with simulated[1].connect() as connection:
        span = connection.execute("select min(activity_date), max(activity_date) from marts.user_daily_activity")
        low, high = span.fetchone()  # type: ignore[misc]
        first, last = (low + (high - low) / 3).isoformat(), (low + 2 * (high - low) / 3).isoformat()
    marts = mart_rows(
        simulated[1].database,
        f"""
        select team_id, sum(active_labeling_seconds) / 3600 as hours, sum(events) as actions
        from marts.user_daily_activity
        where activity_date between '{first}' and '{last}'
        group by team_id
        """,
        1,
    )
    rows = mf.query(
        ["active_labeling_hours", "actions"], ["team"], "--start-time", first, "--end-time", f"{last}T23:59:59"
    )
    compare(marts, rows, lambda row: (int(row["team"]),), {"active_labeling_hours": "hours", "actions": "actions"})
