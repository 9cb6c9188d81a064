"""Read simulated exports back in plain Python (json, csv, ast, pyarrow), apart from the simulator's code.

The tests recompute the ground truth from what this returns, so it must not share code with
labeling_analytics.simulator: it reads records as a user's notebook would.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
ID_FIELDS = ("userId", "projectId", "datasetId", "imageId", "classId", "figureId", "jobId", "tagId")


@dataclass(frozen=True)
class Row:
    file: str  # relative to the export folder
    row: int  # 1-based, as the staging layer numbers rows
    record: dict[str, object]


def millis(text: str) -> int:
    return (dt.datetime.fromisoformat(text) - EPOCH) // dt.timedelta(milliseconds=1)


def _number(value: object) -> int | None:
    if value is None or value == "" or value == "None" or value == "NaN":
        return None
    return int(float(value))  # type: ignore[arg-type]


def _typed(record: dict[str, object]) -> dict[str, object]:
    out = dict(record)
    for field in ID_FIELDS:
        out[field] = _number(record.get(field))
    meta = record.get("meta")
    if isinstance(meta, str):
        meta = ast.literal_eval(meta) if meta.startswith("{'") or meta == "{}" else json.loads(meta)
    out["meta"] = meta
    return out


def read_file(path: Path, root: Path, skip: frozenset[int] = frozenset()) -> Iterator[Row]:
    """The records of one file; JSON Lines rows numbered in `skip` are not parsed (they are malformed)."""
    rel = path.relative_to(root).as_posix()
    if path.suffix == ".jsonl":
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if number not in skip:
                yield Row(rel, number, json.loads(line))
    elif path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        pages = document if isinstance(document, list) else [document]
        records = [entity for page in pages for entity in page["entities"]]
        for number, record in enumerate(records, start=1):
            yield Row(rel, number, record)
    elif path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            for number, record in enumerate(csv.DictReader(handle), start=1):
                yield Row(rel, number, dict(record))
    elif path.suffix == ".parquet":
        for number, record in enumerate(pq.read_table(path).to_pylist(), start=1):
            yield Row(rel, number, record)
    else:
        raise ValueError(f"unexpected export file {rel}")


def export_files(root: Path) -> list[Path]:
    hidden = lambda p: any(part.startswith(".") for part in p.relative_to(root).parts)  # noqa: E731
    return sorted(p for p in root.rglob("*") if p.is_file() and not hidden(p))


def read_events(root: Path, bad: set[tuple[str, int]]) -> tuple[list[dict[str, object]], int]:
    """Distinct events (typed, with `t` in epoch ms and `team`) and the number of repeated deliveries.

    Rows listed in `bad` are skipped (whole files when listed with row 0); every other row must be
    a well-formed record.
    """
    bad_files = {file for file, row in bad if row == 0}
    seen: dict[str, dict[str, object]] = {}
    repeats = 0
    for path in export_files(root):
        rel = path.relative_to(root).as_posix()
        if rel in bad_files or rel.startswith("unassigned/"):
            continue
        team = int(rel.split("/")[0].removeprefix("team_id="))
        for row in read_file(path, root, frozenset(r for f, r in bad if f == rel)):
            if (row.file, row.row) in bad:
                raise AssertionError(f"{rel} row {row.row} is listed as malformed but is not JSON Lines")
            record = _typed(row.record)
            record["t"] = millis(str(record["date"]))
            record["team"] = team
            key = json.dumps({k: v for k, v in record.items() if k != "date"}, sort_keys=True)
            if key in seen:
                repeats += 1
            else:
                seen[key] = record
    return list(seen.values()), repeats
