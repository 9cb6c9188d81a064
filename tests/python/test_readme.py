"""The README's example queries run as written on a built warehouse (the sample) and answer."""

from __future__ import annotations

import re

import duckdb
import pytest

from .conftest import PROJECT_ROOT

QUERIES = re.findall(r"```sql\n(.*?)```", (PROJECT_ROOT / "README.md").read_text(), flags=re.DOTALL)


def test_the_readme_has_example_queries() -> None:
    assert len(QUERIES) >= 4


@pytest.mark.parametrize("sql", QUERIES, ids=[query.splitlines()[0].lstrip("- ") for query in QUERIES])
def test_a_readme_query_runs_and_returns_rows(sql: str, sample_db: duckdb.DuckDBPyConnection) -> None:
    rows = sample_db.execute(sql).fetchall()
    assert rows, "the query returned nothing on the sample"


def test_the_sample_has_a_row_in_every_mart(sample_db: duckdb.DuckDBPyConnection) -> None:
    marts = [name for (name,) in sample_db.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()]  # fmt: skip
    assert len(marts) >= 15
    empty = [name for name in marts if sample_db.execute(f"select count(*) from marts.{name}").fetchone() == (0,)]
    assert empty == []
