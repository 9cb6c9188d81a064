"""Measure the simulator: events per second and peak memory at given sizes (default 1M and 10M events).

Each size runs `labeling-analytics simulate --events N --users 90` in a child process (one team of
90 members: more events means more days, so that memory shows whether it grows with the number of
events; `--users 0` lets --events choose teams and members instead); its wall time and peak
resident memory (from the kernel's accounting of the child) are printed as a table and written as
JSON to bench/results/simulator-<UTC time>.json with the machine's cores and memory.

    .venv/bin/python scripts/bench_simulator.py [--events 1000000 10000000] [--users 90] [--format jsonl] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path("bench/results")


def machine() -> dict[str, object]:
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run_one(events: int, users: int, fmt: str, seed: int, out: Path) -> dict[str, object]:
    command = [
        str(Path(sys.executable).with_name("labeling-analytics")), "simulate", "--events", str(events),
        "--seed", str(seed), "--format", fmt, "--out", str(out), "--quiet", "--force",
    ]  # fmt: skip
    if users:
        command += ["--users", str(users)]
    print(f"$ {' '.join(command)}", flush=True)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    output = child.stdout.read() if child.stdout else ""
    if status != 0:
        raise SystemExit(f"the simulator failed (status {status}):\n{output}")
    written = int(re.search(r"wrote ([\d,]+) events", output).group(1).replace(",", ""))  # type: ignore[union-attr]
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "target_events": events,
        "command": " ".join(command[1:]),
        "events": written,
        "format": fmt,
        "seconds": round(seconds, 1),
        "events_per_second": round(written / seconds),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "output_mib": round(size / 2**20),
        "summary": output.strip().splitlines(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--users", type=int, default=90, help="members of the one team (0: let --events decide)")
    parser.add_argument("--format", default="jsonl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the exports here (one sub-folder per size) and keep them")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-simulator-"))
    rows = []
    try:
        for events in args.events:
            rows.append(run_one(events, args.users, args.format, args.seed, work / f"events-{events}"))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'target':>12} {'events':>12} {'seconds':>9} {'events/s':>10} {'peak RSS':>10} {'on disk':>9}")
    for row in rows:
        print(
            f"{row['target_events']:>12,} {row['events']:>12,} {row['seconds']:>9} {row['events_per_second']:>10,}"
            f" {row['peak_rss_mib']:>7} MiB {row['output_mib']:>5} MiB"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"simulator-{stamp}.json"
    path.write_text(json.dumps({"machine": machine(), "runs": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
