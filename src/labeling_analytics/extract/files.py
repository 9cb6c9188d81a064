"""One file per day and run under the team's folder, written atomically, holding only events that
no earlier file of the extractor holds.

Pages are spooled into hidden per-day files as they arrive (the warehouse ignores hidden files), then
each spool is compressed to a hidden temporary file and renamed to its final name. A final file is
never rewritten: the warehouse reads each file once and stops on a changed one. Events already in a
final file of their day are skipped, so re-asking for an overlap (or a crashed run's window) writes
nothing twice.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .api import ExtractError
from .state import fsync_dir
from .window import record_instant

PREFIX = "teams-activity-"
SUFFIX = ".jsonl.gz"
SPOOL_SUFFIX = ".jsonl.part"
UNDATED = "undated"  # records without a readable date: staged, and quarantined there with a reason


def day_of(record: dict[str, Any]) -> str:
    """The UTC day of the record's `date` (the folder it goes to)."""
    return _day(record_instant(record.get("date")))


def _day(instant: datetime | None) -> str:
    return instant.date().isoformat() if instant else UNDATED


NAME_FIELDS = frozenset({"user", "project", "dataset", "image", "class", "job", "tag"})
PII_META = frozenset({"ip", "newEmail", "oldEmail"})


def _id(value: Any) -> Any:  # noqa: ANN401 - any JSON value
    """4720.0 is the id 4720 (the warehouse casts ids to integers)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def identity(record: dict[str, Any], instant: datetime | None = None) -> dict[str, Any]:
    """The record without what the warehouse's `event_id` leaves out: display names (a rename changes
    them) and personal data in `meta`; the instant whatever its spelling, ids whatever their type,
    null and absent alike. Everything else is kept exactly as sent, so two records the warehouse
    tells apart are never taken for one here (keeping too much only writes an event twice, which
    staging deduplicates; keeping too little would lose one). `instant`: the record's date, when the
    caller has read it already."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in NAME_FIELDS or value is None:
            continue
        if key == "date":
            parsed = instant or record_instant(value)
            value = parsed.isoformat() if parsed else value
        elif key == "meta" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in PII_META}
        elif key.endswith("Id"):
            value = _id(value)
        out[key] = value
    return out


def fingerprint(record: dict[str, Any], instant: datetime | None = None) -> bytes:
    """Records have no id: two records with the same identity are the same event."""
    text = json.dumps(identity(record, instant), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class DayFiles:
    """The files of one run of one team."""

    def __init__(self, team_dir: Path, stamp: str) -> None:
        self.team_dir = team_dir
        self.stamp = stamp
        self.received = 0
        self.known = 0  # already in a final file of an earlier run
        self.repeated = 0  # received earlier in this run (a page asked again, or a shifted one)
        self._on_disk: dict[str, set[bytes]] = {}
        self._this_run: dict[str, set[bytes]] = defaultdict(set)
        self._spooled: dict[str, int] = defaultdict(int)
        self.new_committed = 0

    @property
    def new(self) -> int:
        return sum(self._spooled.values())

    def final_path(self, day: str) -> Path:
        return self.team_dir / day / f"{PREFIX}{self.stamp}{SUFFIX}"

    def _spool_path(self, day: str) -> Path:
        return self.team_dir / day / f".{PREFIX}{self.stamp}{SPOOL_SUFFIX}"

    def remove_leftovers(self) -> int:
        """Hidden spools and temporary files of a run that died (the team lock is held, so no run is alive)."""
        leftovers = [p for p in self.team_dir.glob(f"*/.{PREFIX}*") if p.is_file()]
        for path in leftovers:
            path.unlink()
        return len(leftovers)

    def _fingerprints(self, day: str) -> set[bytes]:
        """The events of `day` in the final files of earlier runs (read once per run)."""
        seen = self._on_disk.get(day)
        if seen is None:
            seen = set()
            for path in sorted((self.team_dir / day).glob(f"{PREFIX}*{SUFFIX}")):
                try:
                    with gzip.open(path, "rt", encoding="utf-8") as handle:
                        seen.update(fingerprint(json.loads(line)) for line in handle if line.strip())
                except (OSError, EOFError, ValueError) as error:
                    raise ExtractError(
                        f"{path} cannot be read ({error}): it is not as the extractor wrote it. Move it out of "
                        "the raw folder (its events are asked for again only if you also give --since)"
                    ) from None
            self._on_disk[day] = seen
        return seen

    def add(self, entities: list[dict[str, Any]]) -> tuple[list[bytes], datetime | None]:
        """Spool the records not seen before; return the fingerprint of every record given, and the
        oldest date among them (each date is read once, here)."""
        lines: dict[str, list[str]] = defaultdict(list)
        keys, oldest = [], None
        for record in entities:
            self.received += 1
            instant = record_instant(record.get("date"))
            day, key = _day(instant), fingerprint(record, instant)
            keys.append(key)
            if instant is not None:
                aware = instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)
                oldest = aware if oldest is None or aware < oldest else oldest
            if key in self._fingerprints(day):
                self.known += 1
                continue
            if key in self._this_run[day]:
                self.repeated += 1
                continue
            self._this_run[day].add(key)
            lines[day].append(json.dumps(record, separators=(",", ":"), ensure_ascii=False))
        for day, day_lines in lines.items():
            path = self._spool_path(day)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\n".join(day_lines) + "\n")
            self._spooled[day] += len(day_lines)
        return keys, oldest

    def discard(self) -> None:
        """Remove this run's spools (a run that stops on an error leaves the folder as it found it)."""
        for day in self._spooled:
            self._spool_path(day).unlink(missing_ok=True)
            final = self.final_path(day)
            final.with_name(f".{final.name}.tmp").unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not empty: files of earlier runs
                (self.team_dir / day).rmdir()
        self._spooled.clear()

    def commit(self) -> list[Path]:
        """Compress each spool and rename it to its final name; return the final files."""
        written = []
        for day in sorted(self._spooled):
            spool, final = self._spool_path(day), self.final_path(day)
            if final.exists():  # the run stamp has microseconds: only a clock set back gets here
                raise ExtractError(f"{final} exists already; check the machine's clock and run again")
            tmp = final.with_name(f".{final.name}.tmp")
            with spool.open("rb") as source, tmp.open("wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as target:
                    shutil.copyfileobj(source, target)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp, final)
            fsync_dir(final.parent)
            spool.unlink()
            written.append(final)
            self.new_committed += self._spooled[day]
        self._spooled.clear()
        return written
