"""The workload: simulated JSON Lines exports (cached by size and seed) or a folder given, and its
split into all days but the last and the last day, for the incremental step."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from ..simulator import TRUTH_DIR
from .measure import ChildRun, Clock, run_child

MANIFEST = Path(TRUTH_DIR) / "manifest.json"
DATE_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")
LINE_FILES = (".jsonl", ".ndjson")


class BenchError(RuntimeError):
    """A step failed: the message says what happened and what to do."""


@dataclass(frozen=True)
class Workload:
    raw: Path
    origin: str  # simulated, cached or given
    events: int  # distinct events (the simulator's manifest), else the lines of the JSON Lines files
    events_counted_from: str
    raw_rows: int  # every line: events, repeated deliveries and malformed rows
    files: int
    mib: float


@dataclass(frozen=True)
class Split:
    """All days but the last (base) and the last day (increment), as paths relative to the raw folder."""

    last_day: str
    dates: list[str]  # the dates of the increment's folders: the last busy day and any after it
    base: list[Path]
    increment: list[Path]
    increment_rows: int


def export_files(raw: Path) -> list[Path]:
    """Files under `raw`, relative to it, skipping hidden ones as staging does (the simulator's
    .truth/ among them). Team folders may be symbolic links, so links are followed."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(raw, followlinks=True):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        here = Path(folder).relative_to(raw)
        found.extend(here / name for name in sorted(names) if not name.startswith("."))
    return found


def count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")  # a last line without its newline


def describe(raw: Path, origin: str) -> Workload:
    files = export_files(raw)
    size = sum((raw / f).stat().st_size for f in files)
    manifest = raw / MANIFEST
    if manifest.exists():
        summary = json.loads(manifest.read_text(encoding="utf-8"))["summary"]
        events, rows, source = int(summary["events"]), int(summary["raw_rows"]), "simulator manifest"
    else:
        rows = sum(count_lines(raw / f) for f in files if f.name.endswith(LINE_FILES))
        events, source = rows, "JSON Lines lines"
    return Workload(raw, origin, events, source, rows, len(files), round(size / 2**20, 1))


def prepare(
    raw: Path | None, events: int, days: int, seed: int, cache: Path, work: Path, clock: Clock
) -> tuple[Workload, ChildRun | None]:
    """The folder given, or the cached simulation of this size and seed, simulated when missing
    (then with the simulator's own figures)."""
    if raw is not None:
        clock.say(f"workload: the exports in {raw}")
        return describe(raw.resolve(), "given"), None
    folder = cache / f"jsonl-events{events}-days{days}-seed{seed}"
    if (folder / MANIFEST).exists():  # the simulator writes its manifest last: the run finished
        clock.say(f"workload: reusing the simulation in {folder}")
        return describe(folder.resolve(), "cached"), None
    cache.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).with_name("labeling-analytics")), "simulate", "--events", str(events),
        "--days", str(days), "--format", "jsonl", "--seed", str(seed), "--out", str(folder), "--quiet", "--force",
    ]  # fmt: skip
    run = run_child("simulate", command, env=dict(os.environ), cwd=cache, log=work / "simulate.log", clock=clock)
    if run.exit_code != 0:
        raise BenchError(f"the simulator failed (exit {run.exit_code}):\n{run.tail()}\nSee {run.log}.")
    print(run.log.read_text(encoding="utf-8").strip(), flush=True)
    return describe(folder.resolve(), "simulated"), run


def split_last_day(workload: Workload) -> Split | None:
    """Split the exports at their last busy day (folders named YYYY-MM-DD under the team folders).

    A folder's date is the day its files were delivered. The simulator's last folders can be
    nearly empty (a Sunday; the next morning's late and re-sent files), which would make the
    incremental step measure a few rows, so the increment starts at the last date holding at
    least half the bytes of a median date, and takes every later date with it."""
    files = export_files(workload.raw)
    dated = {f: _date(f) for f in files}
    sizes: dict[str, int] = {}
    for path, date in dated.items():
        if date is not None:
            sizes[date] = sizes.get(date, 0) + (workload.raw / path).stat().st_size
    if len(sizes) < 2:
        return None
    typical = statistics.median(sizes.values())
    last_day = max(d for d, size in sizes.items() if size >= typical / 2)
    increment = [f for f, d in dated.items() if d is not None and d >= last_day]
    base = [f for f, d in dated.items() if d is None or d < last_day]
    if not base:
        return None
    rows = sum(count_lines(workload.raw / f) for f in increment if f.name.endswith(LINE_FILES))
    return Split(last_day, sorted({d for d in sizes if d >= last_day}), base, increment, rows)


def _date(path: Path) -> str | None:
    return next((part for part in path.parts[:-1] if DATE_FOLDER.fullmatch(part)), None)


def link_files(raw: Path, files: list[Path], into: Path) -> None:
    """Symbolic links to the files (staging follows links to files): no copy of the big part."""
    for rel in files:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        (into / rel).symlink_to((raw / rel).resolve())


def copy_files(raw: Path, files: list[Path], into: Path) -> None:
    """Copies with a new modification time, as a fresh delivery would have."""
    for rel in files:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(raw / rel, into / rel)


def clean_work_dir(work: Path, marker: str) -> None:
    """Empty the work folder, refusing one that this command did not make (it holds the user's files)."""
    if work.exists():
        if not work.is_dir():
            raise BenchError(f"--work {work} is a file: give a folder (new, empty, or an earlier bench's)")
        if any(work.iterdir()) and not (work / marker).exists():
            raise BenchError(f"--work {work} is not empty and was not made by the bench: choose another folder")
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / marker).write_text("made by `labeling-analytics bench`, emptied by its next run\n", encoding="utf-8")
