"""dbt as the bench runs it: the `dev` target on a warehouse file of the bench's own, with
dbt's target/ and logs/ in the work folder, so that nothing in the repository is touched."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_SALT = "labeling-analytics-bench-salt"  # fixed: hashing personal data is part of the work measured


@dataclass(frozen=True)
class DbtSettings:
    project: Path
    threads: int
    memory_limit: str
    dbt_threads: int


def environment(settings: DbtSettings, raw: Path, database: Path, temp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A team chosen for unassigned files would change the workload: the bench leaves them quarantined.
    env.pop("LABELING_ANALYTICS_DEFAULT_TEAM_ID", None)
    env.update(
        {
            "DBT_PROFILES_DIR": str(settings.project / "profiles"),
            "DBT_PROJECT_DIR": str(settings.project),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "LABELING_ANALYTICS_TARGET": "dev",
            "LABELING_ANALYTICS_DUCKDB_PATH": str(database),
            "LABELING_ANALYTICS_DUCKDB_TEMP_DIR": str(temp_dir),
            "LABELING_ANALYTICS_RAW_DIR": str(raw),
            "LABELING_ANALYTICS_PII_SALT": BENCH_SALT,
            "LABELING_ANALYTICS_DUCKDB_THREADS": str(settings.threads),
            "LABELING_ANALYTICS_DUCKDB_MEMORY_LIMIT": settings.memory_limit,
            "LABELING_ANALYTICS_DBT_THREADS": str(settings.dbt_threads),
        }
    )
    return env


def command(verb: str, folder: Path, *flags: str) -> list[str]:
    dbt = str(Path(sys.executable).with_name("dbt"))
    return [
        dbt, verb, *flags, "--target", "dev", "--no-use-colors",
        "--target-path", str(folder / "target"), "--log-path", str(folder / "logs"),
    ]  # fmt: skip


def slowest_nodes(folder: Path, count: int = 5) -> list[dict[str, object]]:
    """The slowest nodes of the last dbt command run with this folder, from its run_results.json."""
    path = folder / "target" / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    ranked = sorted(results, key=lambda r: float(r.get("execution_time") or 0.0), reverse=True)
    return [
        {"node": r["unique_id"], "status": r.get("status"), "seconds": round(float(r["execution_time"]), 2)}
        for r in ranked[:count]
    ]


def warehouse_mib(database: Path) -> float:
    """The warehouse file and its write-ahead log, if one was left."""
    files = [database, database.with_name(database.name + ".wal")]
    return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1)
