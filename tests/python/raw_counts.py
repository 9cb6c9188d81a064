"""Count the rows of raw export files in plain Python, apart from the SQL that stages them."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import duckdb

# What the CSV reader takes for a missing value (pandas' NaN/None, written out).
CSV_NULLS = {"", "None", "NaN", "nan"}


def _text(path: Path) -> str:
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


def _non_blank_lines(text: str) -> list[str]:
    # Lines end at \n only, as for DuckDB (str.splitlines would also split at U+2028 and others).
    return [line for line in text.split("\n") if line.strip()]


def count_json_document(text: str) -> int:
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        lines = _non_blank_lines(text)
        return len(lines) if any(_is_object(line) for line in lines) else 1
    if isinstance(document, dict) and "entities" in document:
        return len(document["entities"] or [])
    if not isinstance(document, list):
        return 1
    total = 0
    for element in document:
        if isinstance(element, dict) and isinstance(element.get("entities"), list):
            total += len(element["entities"])
        elif isinstance(element, dict) and "entities" in element and element["entities"] is None:
            continue
        else:
            total += 1
    return total


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def count_raw_rows(path: Path) -> int:
    """Rows in one export file, as the project defines them (blank lines hold no row)."""
    name = path.name.lower()
    if not name.endswith((".gz", ".parquet")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return 1  # not UTF-8: the whole file is one quarantined row
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return len(_non_blank_lines(_text(path)))
    if name.endswith(".json"):
        return count_json_document(_text(path))
    if name.endswith((".csv", ".csv.gz")):
        # Blank lines hold no record, before the header as after it; the header is not a row.
        rows = [row for row in csv.reader(io.StringIO(_text(path))) if any(c not in CSV_NULLS for c in row)]
        return max(len(rows) - 1, 0)
    if name.endswith(".parquet"):
        with duckdb.connect() as connection:
            row = connection.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
        assert row is not None
        return int(row[0])
    raise ValueError(f"not an export file: {path}")
