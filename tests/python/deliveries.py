"""Deliver a simulated team's exports into a raw folder batch by batch, as an extractor would.

The simulator writes every export at once under `<top>/<YYYY-MM-DD>/<file>` (`<top>` is a
`team_id=<n>` folder, or `unassigned` for rows that name no team). A `Batch` is what lands in the
raw folder between two dbt runs: files copied from the exports to the same path under the raw
folder, and copies of files already delivered under new names (the same events delivered again).

A delivered file is never rewritten (copying onto an existing path raises): the warehouse may treat
a changed file as an error. Copies keep the file's modification time (`shutil.copy2`), as `rsync -a`
or `cp -p` do, so a warehouse that finds new files by modification time rather than by path sees
files older than its last load and misses them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Batch:
    """What lands in the raw folder between two dbt runs. Paths are POSIX, relative to the exports
    folder (`files`) or to the raw folder (`copies`: already delivered path, new path)."""

    name: str
    files: tuple[str, ...] = ()
    copies: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def delivered_paths(self) -> tuple[str, ...]:
        """Every path this batch creates under the raw folder."""
        return self.files + tuple(new for _, new in self.copies)


def exports_by_day(exports: Path) -> dict[str, list[str]]:
    """Every export file, relative to `exports`, grouped by its day folder (`<top>/<day>/...`) and
    sorted; hidden files and folders (the simulator's `.truth/`) are left out, as the warehouse
    leaves them out."""
    days: dict[str, list[str]] = {}
    for path in sorted(exports.rglob("*")):
        rel = path.relative_to(exports)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if len(rel.parts) < 3:
            raise ValueError(f"not under <top>/<day>/: {rel.as_posix()}")
        days.setdefault(rel.parts[1], []).append(rel.as_posix())
    return dict(sorted(days.items()))


def split_in_two(files: list[str]) -> tuple[list[str], list[str]]:
    """A day's files split in two deliveries: in each top folder (team), the first half of its files
    by name, then the rest, so that nothing arrives before a file whose path sorts first."""
    first: list[str] = []
    second: list[str] = []
    tops = sorted({rel.split("/", 1)[0] for rel in files})
    for top in tops:
        own = sorted(rel for rel in files if rel.split("/", 1)[0] == top)
        half = (len(own) + 1) // 2
        first += own[:half]
        second += own[half:]
    return first, second


def deliver(batch: Batch, exports: Path, raw: Path) -> None:
    """Land `batch` in `raw`."""
    for rel in batch.files:
        _copy_new(exports / rel, raw / rel)
    for delivered, new in batch.copies:
        if not (raw / delivered).is_file():
            raise FileNotFoundError(f"{delivered} is delivered again, but was never delivered")
        _copy_new(raw / delivered, raw / new)


def _copy_new(source: Path, target: Path) -> None:
    if target.exists():
        raise FileExistsError(f"{target} is already delivered: delivered files are immutable")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
