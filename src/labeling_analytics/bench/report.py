"""The bench's figures: the printed table and the JSON written to bench/results/."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path


@dataclass
class Step:
    key: str
    label: str
    command: list[str]
    seconds: float
    peak_rss_mib: float
    setup: bool = False  # prepares a later step: measured, but not a figure to compare
    events_per_second: int | None = None
    warehouse_mib: float | None = None
    slowest_nodes: list[dict[str, object]] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)


def machine() -> dict[str, object]:
    memory_kib = 0
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": metadata.version("duckdb"),
        "dbt-core": metadata.version("dbt-core"),
        "dbt-duckdb": metadata.version("dbt-duckdb"),
    }


def revision(project: Path) -> dict[str, object]:
    """The commit, and whether models or macros had changes: figures depend on the SQL built."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    if not commit:  # not a git checkout (an exported tree): nothing to say
        return {"commit": None, "sql_changed_since_commit": None}
    changed = git("status", "--porcelain", "--", "models", "macros", "seeds", "dbt_project.yml")
    return {"commit": commit, "sql_changed_since_commit": bool(changed)}


def ratios(steps: dict[str, Step]) -> dict[str, float]:
    pairs = {
        "full_models_only / floor": ("full_run", "floor"),
        "incremental_day_models_only / full_models_only": ("incremental_run", "full_run"),
        "incremental_day_models_and_tests / full_models_and_tests": ("incremental_build", "full_build"),
    }
    return {
        name: round(steps[a].seconds / steps[b].seconds, 2)
        for name, (a, b) in pairs.items()
        if a in steps and b in steps and steps[b].seconds > 0
    }


def table(steps: list[Step]) -> str:
    width = max(len(s.label) for s in steps)
    lines = [f"{'step':<{width}}  {'wall s':>8}  {'peak RSS MiB':>12}  {'events/s':>10}  {'warehouse MiB':>13}"]
    for s in steps:
        rate = f"{s.events_per_second:,}" if s.events_per_second is not None else "-"
        size = f"{s.warehouse_mib:,.1f}" if s.warehouse_mib is not None else "-"
        lines.append(f"{s.label:<{width}}  {s.seconds:>8.1f}  {s.peak_rss_mib:>12,.0f}  {rate:>10}  {size:>13}")
    return "\n".join(lines)


def slowest(steps: list[Step]) -> str:
    """The slowest nodes of the steps compared (the setup steps' are in the JSON)."""
    lines = []
    for s in steps:
        if s.slowest_nodes and not s.setup:
            lines.append(f"{s.label}:")
            lines += [f"  {n['seconds']:>8.2f} s  {n['node']}" for n in s.slowest_nodes]
    return "\n".join(lines)


def write(results: Path, events: int, document: dict[str, object]) -> Path:
    """bench/results/warehouse-<events>-<UTC time>.json (git-ignored: commit a result deliberately)."""
    results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = results / f"warehouse-{events}-{stamp}.json"
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def step_dicts(steps: list[Step]) -> list[dict[str, object]]:
    return [asdict(s) for s in steps]
