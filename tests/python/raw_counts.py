"""Count the rows of raw export files in plain Python, apart from the SQL that stages them."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import duckdb


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
        try:
            first_is_object = isinstance(json.loads(lines[0]), dict) if lines else False
        except json.JSONDecodeError:
            first_is_object = False
        return len(lines) if first_is_object else 1
    is_list_of_pages = (
        isinstance(document, list)
        and bool(document)
        and all(isinstance(page, dict) and isinstance(page.get("entities"), list) for page in document)
    )
    if is_list_of_pages:
        return sum(len(page["entities"]) for page in document)
    if isinstance(document, dict) and isinstance(document.get("entities"), list):
        return len(document["entities"])
    if isinstance(document, list):
        return len(document)
    return 1


def count_raw_rows(path: Path) -> int:
    """Rows in one export file, as the project defines them (blank lines hold no row)."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return len(_non_blank_lines(_text(path)))
    if name.endswith(".json"):
        return count_json_document(_text(path))
    if name.endswith((".csv", ".csv.gz")):
        return sum(1 for _ in csv.reader(io.StringIO(_text(path)))) - 1
    if name.endswith(".parquet"):
        with duckdb.connect() as connection:
            row = connection.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
        assert row is not None
        return int(row[0])
    raise ValueError(f"not an export file: {path}")
