"""`labeling-analytics bench`: the options, and the steps in order."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from ..argtypes import positive_int
from . import dbt, report, workload
from .measure import ChildRun, Clock, run_child
from .report import Step
from .workload import BenchError, Split, Workload

MARKER = ".labeling-analytics-bench"  # marks a work folder the bench may empty
DEFAULT_EVENTS = 1_000_000


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "bench",
        help="time the warehouse build (full and incremental) and its peak memory on simulated exports",
        description=(
            "Simulate N events as JSON Lines (cached under bench/data/ by events and seed), then measure, each "
            "in a child process of its own (wall time, peak RSS): the floor (one DuckDB query computing "
            "user_daily_activity's counts from the raw files), `dbt run --full-refresh`, `dbt build "
            "--full-refresh`, and an incremental day (`dbt run`, `dbt build` after a build of all days but the "
            "last). Prints a table and writes bench/results/warehouse-<events>-<UTC time>.json."
        ),
    )
    parser.add_argument(
        "--events", type=positive_int, default=DEFAULT_EVENTS, help="events to simulate (default %(default)s)"
    )
    parser.add_argument(
        "--days",
        type=positive_int,
        default=30,
        help="days of history the events spread over (default %(default)s): the incremental step adds the last",
    )
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default %(default)s)")
    parser.add_argument("--raw", type=Path, help="use these exports (e.g. an earlier simulation) instead")
    parser.add_argument("--work", type=Path, help="work folder, emptied first (default bench/work/warehouse)")
    parser.add_argument(
        "--memory-limit", default="2GB", help="DuckDB memory limit for dbt and the floor (default %(default)s)"
    )
    parser.add_argument(
        "--threads", type=positive_int, default=_cores(), help="DuckDB threads (default: the cores, %(default)s)"
    )
    parser.add_argument(
        "--dbt-threads",
        type=positive_int,
        default=1,
        # The models of a run share one DuckDB memory limit: at 10M events and 2 GB, two big models
        # at once ran out of memory, while one at a time spills and finishes.
        help="models dbt builds at once (default %(default)s: under a tight memory limit, one at a time)",
    )
    parser.add_argument(
        "--skip-tests-build",
        action="store_true",
        help="skip the `dbt build` steps (models and tests), full and incremental, when time matters",
    )
    parser.add_argument("--keep", action="store_true", help="keep the warehouse files in the work folder")
    parser.set_defaults(run=run)


def project_root() -> Path:
    """The dbt project in the current folder (so that another checkout can be measured with the
    same command), else the checkout this package is installed from (editable install)."""
    for candidate in (Path.cwd(), Path(__file__).resolve().parents[3]):
        if (candidate / "dbt_project.yml").exists():
            return candidate
    raise BenchError("no dbt_project.yml found: run the bench from the labeling-analytics repository")


class Bench:
    def __init__(self, args: argparse.Namespace, project: Path, work: Path, load: Workload, clock: Clock) -> None:
        self.args = args
        self.project = project
        self.work = work
        self.load = load
        self.clock = clock
        self.settings = dbt.DbtSettings(project, args.threads, args.memory_limit, args.dbt_threads)
        self.steps: list[Step] = []
        self.errors: list[BenchError] = []

    def rate(self, seconds: float) -> int:
        return round(self.load.events / seconds) if seconds > 0 else 0

    def failed(self, label: str, run: ChildRun, command: list[str], dbt_logs: Path | None = None) -> BenchError:
        output = run.log.read_text(encoding="utf-8", errors="replace")
        if "Out of Memory" in output:
            hint = f"DuckDB ran out of memory: give it more with --memory-limit (now {self.args.memory_limit})"
        else:
            hint = "fix what the output names (models/ may be mid-edit), then run the bench again"
        return BenchError(
            f"{label} failed (exit {run.exit_code}) after {run.seconds:.0f} s. Its last lines:\n\n{run.tail()}\n\n"
            f"{hint}. Full output: {run.log}" + (f"; dbt's own log in {dbt_logs}" if dbt_logs else "") + ".\n"
            f"Command: {' '.join(command)}"
        )

    # --- the steps ---------------------------------------------------------------------------
    def floor(self) -> None:
        catalog = self.project / "seeds" / "activity_action_catalog.csv"
        command = [
            sys.executable, "-m", "labeling_analytics.bench.floor", "--raw", str(self.load.raw),
            "--catalog", str(catalog), "--threads", str(self.args.threads),
            "--memory-limit", self.args.memory_limit, "--temp-dir", str(self.work / "floor" / "tmp"),
        ]  # fmt: skip
        label = "floor: one DuckDB query"
        run = run_child(
            label, command, env=dict(os.environ), cwd=self.project, log=self.work / "floor.log", clock=self.clock
        )
        if run.exit_code != 0:
            raise self.failed(label, run, command)
        counted = json.loads(run.log.read_text(encoding="utf-8").strip().splitlines()[-1])
        self.clock.say(f"floor: {counted['rows']:,} rows of user_daily_activity from {counted['events']:,} raw events")
        self.steps.append(
            Step(
                key="floor",
                label=label,
                command=command,
                seconds=round(run.seconds, 2),
                peak_rss_mib=round(run.peak_rss_mib, 1),
                events_per_second=self.rate(run.seconds),
                details=counted,
            )
        )

    def dbt_step(
        self,
        key: str,
        label: str,
        verb: str,
        folder: Path,
        raw: Path,
        *flags: str,
        setup: bool = False,
        state: Path | None = None,
    ) -> Step:
        """One dbt command on folder/warehouse.duckdb, with dbt's target/ and logs/ in `state`
        (default `folder`): a step that finds the target/ of an earlier one parses only what changed."""
        database, state = folder / "warehouse.duckdb", state or folder
        env = dbt.environment(self.settings, raw, database, folder / "tmp")
        command = dbt.command(verb, state, *flags)
        run = run_child(label, command, env=env, cwd=self.project, log=folder / f"{key}.log", clock=self.clock)
        if run.exit_code != 0:
            raise self.failed(label, run, command, state / "logs")
        results = state / "target" / "run_results.json"
        if results.exists():  # the next command in this folder overwrites it
            shutil.copyfile(results, folder / f"{key}-run_results.json")
        step = Step(
            key=key,
            label=label,
            command=command,
            seconds=round(run.seconds, 2),
            peak_rss_mib=round(run.peak_rss_mib, 1),
            setup=setup,
            events_per_second=None if setup else self.rate(run.seconds),
            warehouse_mib=dbt.warehouse_mib(database),
            slowest_nodes=dbt.slowest_nodes(state),
        )
        self.steps.append(step)
        return step

    def attempt(self, step: Callable[[], object]) -> None:
        """Run one independent part; a failure is reported at the end and the next part still runs
        (a failing test in `dbt build` says nothing about the incremental run)."""
        try:
            step()
        except BenchError as error:
            self.errors.append(error)
            self.clock.say("failed: the error is printed at the end; going on with the next step")

    def drop_warehouse(self, folder: Path) -> None:
        if not self.args.keep:
            for path in folder.glob("*.duckdb*"):
                path.unlink()
        shutil.rmtree(folder / "tmp", ignore_errors=True)  # DuckDB's spill files

    def full_run(self) -> None:
        folder, raw = self.work / "full-run", self.load.raw
        try:
            # `dbt run` builds no seeds, and the models read them: load them first, apart, with a
            # target/ of their own, so that `dbt run` parses the project from scratch as `dbt build` does.
            self.dbt_step(
                "full_run_seed", "full: seeds (setup)", "seed", folder, raw, "--full-refresh", setup=True,
                state=folder / "seed",
            )  # fmt: skip
            self.dbt_step("full_run", "full build, models only (dbt run)", "run", folder, raw, "--full-refresh")
        finally:
            self.drop_warehouse(folder)

    def full_build(self) -> None:
        folder = self.work / "full-build"
        try:
            self.dbt_step(
                "full_build", "full build, models+tests (dbt build)", "build", folder, self.load.raw, "--full-refresh"
            )
        finally:
            self.drop_warehouse(folder)

    def incremental(self, split: Split) -> None:
        """Build all days but the last, then add the last day's files and run dbt without
        --full-refresh. `dbt run` and `dbt build` each start from the same warehouse (a copy
        taken before the first), and share dbt's target/ as a user's daily runs would."""
        folder = self.work / "incremental"
        raw = folder / "raw"
        try:
            workload.link_files(self.load.raw, split.base, raw)
            self.dbt_step(
                "incremental_seed", "incremental: seeds (setup)", "seed", folder, raw, "--full-refresh", setup=True
            )
            self.dbt_step(
                "incremental_base", f"incremental: days before {split.last_day} (setup)", "run", folder, raw,
                "--full-refresh", setup=True,
            )  # fmt: skip
            database, snapshot = folder / "warehouse.duckdb", folder / "before-last-day.duckdb"
            if not self.args.skip_tests_build:
                shutil.copyfile(database, snapshot)
            workload.copy_files(self.load.raw, split.increment, raw)
            dates = ", ".join(split.dates)
            self.clock.say(
                f"incremental: added {len(split.increment)} files of {dates} ({split.increment_rows:,} rows)"
            )
            self.attempt(
                lambda: self.dbt_step("incremental_run", "incremental day, models only (dbt run)", "run", folder, raw)
            )
            if not self.args.skip_tests_build:
                os.replace(snapshot, database)
                self.dbt_step("incremental_build", "incremental day, models+tests (dbt build)", "build", folder, raw)
        finally:
            self.drop_warehouse(folder)


def run(args: argparse.Namespace) -> int:
    try:
        return _bench(args)
    except BenchError as error:
        print(f"labeling-analytics bench: error: {error}", file=sys.stderr)
        return 1


def _bench(args: argparse.Namespace) -> int:
    clock = Clock()
    started_at = dt.datetime.now(dt.timezone.utc)
    project = project_root()
    if args.raw is not None and not args.raw.is_dir():  # before the work folder is emptied
        raise BenchError(f"--raw {args.raw} is not a folder: give the folder of a simulation or of your exports")
    work = (args.work or project / "bench" / "work" / "warehouse").resolve()
    workload.clean_work_dir(work, MARKER)
    clock.say(f"work folder {work}; DuckDB threads {args.threads}, memory limit {args.memory_limit}")
    cache = project / "bench" / "data"
    load, simulated = workload.prepare(args.raw, args.events, args.days, args.seed, cache, work, clock)
    clock.say(
        f"workload: {load.events:,} events ({load.events_counted_from}), {load.raw_rows:,} raw rows, "
        f"{load.files:,} files, {load.mib:,.0f} MiB"
    )
    split = workload.split_last_day(load)
    bench = Bench(args, project, work, load, clock)
    bench.attempt(bench.floor)
    bench.attempt(bench.full_run)
    if not args.skip_tests_build:
        bench.attempt(bench.full_build)
    if split is None:
        clock.say("incremental: skipped, the exports have no folders named by date (YYYY-MM-DD)")
    else:
        bench.attempt(lambda: bench.incremental(split))

    ratios = report.ratios({s.key: s for s in bench.steps})
    document: dict[str, object] = {
        "benchmark": "warehouse",
        "status": "failed" if bench.errors else "ok",
        "errors": [str(e) for e in bench.errors],
        "started_at": started_at.isoformat(timespec="seconds"),
        "total_seconds": round(clock.elapsed(), 1),
        "machine": report.machine(),
        "revision": report.revision(project),
        "options": {**_options(args), "work": str(work)},
        "workload": {
            **{k: str(v) if isinstance(v, Path) else v for k, v in asdict(load).items()},
            "simulate": _figures(simulated),
        },
        "increment": _increment(split),
        "steps": report.step_dicts(bench.steps),
        "ratios": ratios,
    }
    # Named by the size asked for, or by the size found when the exports were given.
    path = report.write(project / "bench" / "results", args.events if args.raw is None else load.events, document)

    if bench.steps:
        print(
            f"\n{load.events:,} events ({load.raw_rows:,} raw rows, {load.mib:,.0f} MiB of exports); "
            f"DuckDB threads {args.threads}, memory limit {args.memory_limit}\n"
        )
        print(report.table(bench.steps))
        if split is not None:
            print(f"\nincremental day: {', '.join(split.dates)}, {split.increment_rows:,} raw rows")
        for name, value in ratios.items():
            print(f"{name}: {value}")
        if slowest := report.slowest(bench.steps):
            print(f"\nslowest nodes:\n{slowest}")
    print(f"\nwritten to {path} (total {clock.elapsed():.0f} s)")
    if bench.errors:
        raise BenchError("\n\n".join(str(e) for e in bench.errors))
    return 0


def _options(args: argparse.Namespace) -> dict[str, object]:
    return {
        "events": args.events,
        "days": args.days,
        "seed": args.seed,
        "raw": str(args.raw) if args.raw else None,
        "memory_limit": args.memory_limit,
        "threads": args.threads,
        "dbt_threads": args.dbt_threads,
        "skip_tests_build": args.skip_tests_build,
        "keep": args.keep,
    }


def _figures(run: ChildRun | None) -> dict[str, float] | None:
    return None if run is None else {"seconds": round(run.seconds, 2), "peak_rss_mib": round(run.peak_rss_mib, 1)}


def _increment(split: Split | None) -> dict[str, object] | None:
    if split is None:
        return None
    return {
        "last_day": split.last_day,
        "dates": split.dates,
        "files": len(split.increment),
        "raw_rows": split.increment_rows,
        "base_files": len(split.base),
    }
