"""Measure the extractor: events per second and peak memory, against the local stand-in of the platform.

Simulates one team (--events, default 1M; JSON Lines, no noise), serves it with
`labeling-analytics serve-activity` (a child process on a free port), then times runs of
`labeling-analytics extract`, each in a child process of its own (wall time, its own peak RSS):
  full:    the whole log into an empty folder;
  one day: a nightly-sized window (the last day and the 24 h before it), all of it extracted already;
  again:   the whole log asked again: every event is received, found in the files and skipped.
Figures are printed as a table and written to bench/results/extract-<UTC time>.json.

    .venv/bin/python scripts/bench_extract.py [--events 1000000] [--per-page 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from labeling_analytics.bench.measure import Clock, run_child
from labeling_analytics.bench.report import machine

RESULTS = Path("bench/results")
TOKEN = "bench-token"


def tool(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("labeling-analytics")), *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-page", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work here (simulation, raw folder, logs) and keep it")
    args = parser.parse_args()

    clock = Clock()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-extract-"))
    env = {**os.environ, "API_TOKEN": TOKEN}
    simulated, raw = work / "simulated", work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    try:
        simulate = tool("simulate", "--events", str(args.events), "--users", "90", "--seed", str(args.seed))
        simulate += ["--format", "jsonl", "--no-noise", "--out", str(simulated), "--force", "--quiet"]
        if run_child("simulate", simulate, env=env, cwd=Path.cwd(), log=work / "simulate.log", clock=clock).exit_code:
            raise SystemExit(f"the simulation failed: see {work / 'simulate.log'}")
        port = free_port()
        server = subprocess.Popen(
            tool("serve-activity", "--raw", str(simulated), "--port", str(port), "--token", TOKEN),
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert server.stdout is not None
            clock.say(f"serve-activity: {server.stdout.readline().strip()}")
            days = sorted(p.name for p in (simulated / "team_id=1").iterdir() if p.is_dir())
            last = dt.date.fromisoformat(days[-1])
            windows = {
                "full": [],
                "one day": ["--since", str(last - dt.timedelta(days=1)), "--until", str(last + dt.timedelta(days=1))],
                "again": ["--since", days[0]],
            }
            rows = []
            for label, window in windows.items():
                command = tool("extract", "--server-address", f"http://127.0.0.1:{port}", "--team-id", "1")
                command += ["--out", str(raw), "--per-page", str(args.per_page), *window]
                run = run_child(label, command, env=env, cwd=Path.cwd(), log=work / f"extract-{label}.log", clock=clock)
                if run.exit_code:
                    raise SystemExit(f"extract failed: see {run.log}\n{run.tail()}")
                state = json.loads((raw / "team_id=1" / ".extract-state.json").read_text())["last_run"]
                rows.append(
                    {
                        "run": label,
                        "command": " ".join(command[1:]),
                        "seconds": round(run.seconds, 1),
                        "peak_rss_mib": round(run.peak_rss_mib),
                        "received": state["received"],
                        "new": state["new"],
                        "files": len(state["files"]),
                        "events_per_second": round(state["received"] / run.seconds),
                    }
                )
        finally:
            server.terminate()
            server.wait()
        on_disk = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'run':>8} {'received':>10} {'new':>10} {'files':>6} {'seconds':>8} {'events/s':>9} {'peak RSS':>9}")
    for row in rows:
        print(
            f"{row['run']:>8} {row['received']:>10,} {row['new']:>10,} {row['files']:>6} {row['seconds']:>8}"
            f" {row['events_per_second']:>9,} {row['peak_rss_mib']:>5} MiB"
        )
    print(f"extracted files on disk: {on_disk / 2**20:.1f} MiB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"extract-{stamp}.json"
    figures = {"machine": machine(), "events": args.events, "per_page": args.per_page, "on_disk_mib": on_disk / 2**20}
    path.write_text(json.dumps({**figures, "runs": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
