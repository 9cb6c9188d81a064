"""Incremental equals full refresh: a warehouse built run after run, as exports arrive, holds what
one `dbt build --full-refresh` over the same files holds.

Two simulated teams (every export shape, with duplicates, late deliveries, malformed rows and files
out of order) are delivered into one raw folder in batches, and one warehouse is built after each
batch with plain `dbt run` (never `--full-refresh`), the last with `dbt build` so that every data
test also holds on the incremental warehouse:

    batch 1   the first three day folders, and half of the fourth day's files
    batch 2   the rest of the fourth day (a day split across two deliveries), the fifth and sixth
              -> then `dbt run` again, with nothing new
    batch 3   files already delivered, copied under new names (the same events delivered twice)
    batch 4   the remaining day folders, and files of batch 1 copied again under a folder that
              sorts before every day folder                    -> `dbt build`

Late files (a day's events in the folder of a later day) arrive with that later folder, so in a
later batch than their day. The delivery the warehouse keeps of an event delivered twice is "the
first by file path, then row number": batch 3's copies sort after their originals, batch 4's
before, so there an incremental run must switch the kept delivery of events loaded long before.

A second warehouse is then built in one go with `dbt build --full-refresh` over the final raw
folder, and every table of `staging`, `intermediate` and `marts` (found in `information_schema`, so
a new model is covered) is compared row for row between the two: see `warehouse_diff` for the rules
(lineage columns recording when a row was written are left out; doubles rounded to 9 significant
digits, at most 1e-6 absolute). Also: running again with nothing new rewrites nothing, and content
delivered again under new file names changes no mart.

Today most models are tables rebuilt on every run, so this passes trivially; it proves something
as models turn incremental.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from labeling_analytics.simulator import NoiseRates, SimulationConfig, simulate

from .conftest import SAMPLE_DIR, build_warehouse, run_dbt
from .deliveries import Batch, deliver, exports_by_day, split_in_two
from .warehouse_diff import Comparison, compare_warehouses, copy_warehouse, is_lineage

SCHEMAS = ("staging", "intermediate", "marts")
# Small enough that a dbt run costs little more than dbt's own start, big enough that every kind of
# noise occurs: conftest's session fixture `simulated`, on another seed.
CONFIG = SimulationConfig(teams=2, users=6, days=8, seed=33, format="mixed", noise=NoiseRates(0.02, 0.2, 0.003, 0.3))
# The first run also loads the seeds; the runs between batches are plain `dbt run`.
FIRST_RUN = ["build", "--resource-type", "seed", "--resource-type", "model"]
# The unit tests read fixtures, not the warehouse: `make test` runs them, and here they would only
# double the time of the two final builds. Every data test runs on both warehouses.
BUILD = ["--exclude-resource-type", "unit_test"]
SHAPES = ("csv", "json", "jsonl", "parquet")


class Plan(NamedTuple):
    first: Batch
    second: Batch
    redelivery: Batch
    last: Batch


def plan_batches(days: dict[str, list[str]]) -> Plan:
    """The deliveries of the module docstring, from the exports grouped by day folder."""
    folders = list(days.values())
    assert len(folders) >= 8, f"too few day folders for the plan: {list(days)}"
    first_half, second_half = split_in_two(folders[3])
    first = Batch("batch 1 (days 1-3, half of day 4)", tuple(_flat(folders[:3]) + first_half))
    second = Batch("batch 2 (rest of day 4, days 5-6)", tuple(second_half + _flat(folders[4:6])))
    redelivery = Batch(
        "batch 3 (delivered again under new names)",
        copies=tuple(_redeliveries(sorted(first.files + second.files))),
    )
    last = Batch(
        "batch 4 (the remaining days, and copies of batch 1 that sort first)",
        tuple(_flat(folders[6:])),
        copies=tuple(_redeliveries(sorted(first.files), folder="0-resent")),
    )
    return Plan(first, second, redelivery, last)


def _flat(folders: list[list[str]]) -> list[str]:
    return [rel for files in folders for rel in files]


def _redeliveries(delivered: list[str], folder: str = "redelivered") -> list[tuple[str, str]]:
    """A team's whole-day export in each shape, delivered again as `<team>/<folder>/<day>-<name>`:
    `redelivered` sorts after every day folder (the original stays the first delivery by path),
    `0-resent` before them (the copy becomes it)."""
    copies = []
    for shape in SHAPES:
        for rel in delivered:
            top, day, name = rel.split("/")
            if top.startswith("team_id=") and name in (f"activity.{shape}", f"activity-page-0001.{shape}"):
                copies.append((rel, f"{top}/{folder}/{day}-{name}"))
                break
    return copies


@dataclass(frozen=True)
class Scenario:
    exports: Path
    raw: Path
    plan: Plan
    incremental: Path  # the warehouse built batch after batch
    full_refresh: Path  # the warehouse built once over the final raw folder
    # copies of the incremental warehouse
    before_rerun: Path  # after batch 2
    after_rerun: Path  # after running again with nothing new
    after_redelivery: Path  # after batch 3
    materialized: dict[str, str]  # schema.table -> its model's materialization

    def redelivered_files(self) -> list[str]:
        return [str(self.raw / new) for _, new in self.plan.redelivery.copies]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("incremental")
    exports, raw, copies = root / "exports", root / "raw", root / "copies"
    incremental_dir, full_refresh_dir = root / "incremental", root / "full-refresh"
    simulate(CONFIG, exports, progress=False)
    raw.mkdir()
    incremental_dir.mkdir()
    plan = plan_batches(exports_by_day(exports))
    warehouse = incremental_dir / "warehouse.duckdb"

    def run(args: list[str], step: str) -> None:
        result = run_dbt(args, incremental_dir, {"LABELING_ANALYTICS_RAW_DIR": str(raw)})
        _check(result.returncode, result.stdout, result.stderr, f"dbt {' '.join(args)} after {step}")

    deliver(plan.first, exports, raw)
    run(FIRST_RUN, plan.first.name)
    deliver(plan.second, exports, raw)
    run(["run"], plan.second.name)
    before_rerun = copy_warehouse(warehouse, copies / "before-rerun.duckdb")
    run(["run"], "a rerun with nothing new")
    after_rerun = copy_warehouse(warehouse, copies / "after-rerun.duckdb")
    deliver(plan.redelivery, exports, raw)
    run(["run"], plan.redelivery.name)
    after_redelivery = copy_warehouse(warehouse, copies / "after-redelivery.duckdb")
    deliver(plan.last, exports, raw)

    # The last incremental build and the full refresh read the same final folder (so their
    # `source_file` paths agree) and write different files: they run side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        last = pool.submit(build_warehouse, raw, incremental_dir, BUILD)
        full = pool.submit(build_warehouse, raw, full_refresh_dir, ["--full-refresh", *BUILD])
        last_build, full_build = last.result(), full.result()
    for build, step in ((last_build, f"dbt build after {plan.last.name}"), (full_build, "dbt build --full-refresh")):
        _check(build.result.returncode, build.result.stdout, build.result.stderr, step)

    return Scenario(
        exports=exports,
        raw=raw,
        plan=plan,
        incremental=last_build.database,
        full_refresh=full_build.database,
        before_rerun=before_rerun,
        after_rerun=after_rerun,
        after_redelivery=after_redelivery,
        materialized=_materializations(incremental_dir / "target" / "manifest.json"),
    )


def _check(returncode: int, stdout: str, stderr: str, step: str) -> None:
    if returncode != 0:
        pytest.fail(f"{step} failed (return code {returncode}):\n{stdout[-4000:]}\n{stderr[-2000:]}", pytrace=False)


def _materializations(manifest_path: Path) -> dict[str, str]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {
        f"{node['schema']}.{node['alias']}": node["config"]["materialized"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }


def _assert_equal(comparison: Comparison, what: str) -> None:
    if not comparison.equal:
        pytest.fail(f"{what}:\n{comparison.report()}", pytrace=False)


def test_the_deliveries_exercise_what_incremental_runs_get_wrong(scenario: Scenario) -> None:
    """The plan holds what it promises: every export delivered once, late files in a later batch
    than their day's folder, a day split across two batches, every shape delivered again."""
    plan = scenario.plan
    delivered = [rel for batch in plan for rel in batch.files]
    assert sorted(delivered) == sorted(_flat(list(exports_by_day(scenario.exports).values())))
    assert len(set(delivered)) == len(delivered)

    batch_of_day: dict[str, int] = {}  # day folder -> the first batch that brings any of it
    for i, batch in enumerate(plan):
        for rel in batch.files:
            batch_of_day.setdefault(rel.split("/")[1], i)
    late = [
        (rel, i)
        for i, batch in enumerate(plan)
        for rel in batch.files
        if "/activity-late-" in rel and batch_of_day[rel.split("/activity-late-")[1][:10]] < i
    ]
    assert late, "no late file arrives in a later batch than its day"
    assert {rel.split("/")[1] for rel in plan.first.files} & {rel.split("/")[1] for rel in plan.second.files}, (
        "no day folder arrives in two batches"
    )
    assert sorted(new.rsplit(".", 1)[1] for _, new in plan.redelivery.copies) == sorted(SHAPES)
    assert all(original < new for original, new in plan.redelivery.copies), "a copy sorts before its original"
    assert plan.last.copies, "no copy that sorts before its original"
    assert all(new < original for original, new in plan.last.copies), "a late copy sorts after its original"
    # The noise reached the warehouse: rows delivered twice, quarantined rows.
    with duckdb.connect(str(scenario.full_refresh), read_only=True) as db:
        for table in ("stg_supervisely__activity_duplicates", "stg_supervisely__activity_rejected"):
            row = db.execute(f"select count(*) from staging.{table}").fetchone()
            assert row is not None and row[0] > 0, f"staging.{table} is empty"


@pytest.mark.parametrize("schema", SCHEMAS)
def test_the_incremental_warehouse_equals_a_full_refresh(scenario: Scenario, schema: str) -> None:
    comparison = compare_warehouses(
        scenario.incremental, scenario.full_refresh, [schema], labels=("incremental", "full refresh")
    )
    assert comparison.tables, f"no table in {schema}"
    _assert_equal(comparison, f"the {schema} tables of the incremental warehouse and of a full refresh differ")
    rows = sum(table.rows[0] or 0 for table in comparison.tables)
    assert rows > 0, f"every {schema} table is empty: the comparison proves nothing\n{comparison.summary()}"


def _unchanged_unless_rebuilt(materialized: dict[str, str]) -> Callable[[str, str], bool]:
    """Columns to leave out when one warehouse is compared with itself a run later: the lineage
    columns of models that are still rebuilt whole on every run (tables), since a rebuild writes
    every row again by design. An incremental model with nothing new to load must not rewrite a
    row, so its lineage columns are compared too."""

    # Staging and intermediate models are incremental; the tables among them (the duplicate and
    # quarantine views of the parsed rows, the calendar, team windows, memberships, member-job
    # days) and the marts are small and rebuilt whole on purpose.
    def exclude(table: str, column: str) -> bool:
        return is_lineage(column) and materialized.get(table) != "incremental"

    return exclude


def test_a_rerun_with_nothing_new_changes_nothing(scenario: Scenario) -> None:
    """The same batch run twice: every table of staging, intermediate and marts as it was."""
    comparison = compare_warehouses(
        scenario.before_rerun,
        scenario.after_rerun,
        SCHEMAS,
        labels=("before the rerun", "after the rerun"),
        exclude=_unchanged_unless_rebuilt(scenario.materialized),
    )
    assert {table.table.split(".")[0] for table in comparison.tables} == set(SCHEMAS)
    _assert_equal(comparison, "`dbt run` with no new file changed the warehouse")


def test_content_delivered_again_changes_no_mart(scenario: Scenario) -> None:
    """Already delivered files copied under new names: their events are all repeated deliveries, and
    no mart or intermediate table says anything new. Rows may be written again (their lineage
    columns change: a run may recompute what a repeated event touches), but not changed. Staging
    changes where it records deliveries: the new files, their rows, repeated deliveries, quarantined
    rows again, and each event's `delivery_count`."""
    comparison = compare_warehouses(
        scenario.after_rerun,
        scenario.after_redelivery,
        ("intermediate", "marts"),
        labels=("before", "after the redelivery"),
    )
    _assert_equal(comparison, "delivering the same events again under new file names changed a table")

    events = compare_warehouses(
        scenario.after_rerun,
        scenario.after_redelivery,
        ["staging"],
        labels=("before", "after the redelivery"),
        exclude=lambda _table, column: column == "delivery_count" or is_lineage(column),
        only=["staging.stg_supervisely__activity"],
    )
    assert len(events.tables) == 1
    _assert_equal(events, "delivering the same events again under new file names changed the staged events")

    new_files = scenario.redelivered_files()
    with duckdb.connect(str(scenario.after_redelivery), read_only=True) as db:
        placeholders = ", ".join("?" for _ in new_files)
        first_deliveries = db.execute(
            f"select count(*) from staging.stg_supervisely__activity where source_file in ({placeholders})",
            new_files,
        ).fetchone()
        assert first_deliveries == (0,), "an event of a file delivered again is staged as its first delivery"
        repeated = dict(
            db.execute(
                f"""
                select source_file, count(*) from staging.stg_supervisely__activity_duplicates
                where source_file in ({placeholders}) group by all
                """,
                new_files,
            ).fetchall()
        )
    assert set(repeated) == set(new_files), f"a file delivered again has no repeated delivery: {repeated}"


def test_a_loaded_file_that_changed_fails_the_run_and_one_that_is_gone_warns(tmp_path: Path) -> None:
    """Exports are append-only: a file rewritten after it was loaded would not be read again, so
    the run stops and says what to do; a file removed keeps its rows, with a warning."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_DIR, raw)
    listing = ["run", "--select", "stg_supervisely__export_files"]

    def run() -> subprocess.CompletedProcess[str]:
        return run_dbt(listing, tmp_path, {"LABELING_ANALYTICS_RAW_DIR": str(raw)})

    first = run()
    _check(first.returncode, first.stdout, first.stderr, "the first listing")
    changed = raw / "team_id=1" / "2024-05-01" / "activity.jsonl"
    with changed.open("a", encoding="utf-8") as handle:
        handle.write('{"action": "login", "date": "2024-05-01T09:00:00Z", "userId": 1}\n')
    second = run()
    assert second.returncode != 0, "a run after a loaded file changed succeeded"
    assert "changed after they were loaded" in second.stdout and str(changed) in second.stdout, second.stdout[-3000:]
    assert "--full-refresh" in second.stdout

    changed.unlink()
    third = run()
    _check(third.returncode, third.stdout, third.stderr, "a listing after a loaded file was removed")
    assert "no longer under the raw folder" in third.stdout, third.stdout[-3000:]
