"""The README's example queries run as written on a built warehouse (the sample) and answer."""

from __future__ import annotations

import json
import re

import duckdb
import pytest
import sqlalchemy

from .conftest import PROJECT_ROOT, Build

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


def test_the_readme_sqlalchemy_connection_reads_every_mart_read_only(sample_build: Build) -> None:
    """Superset's connection as the README gives it (URI and engine parameters), through SQLAlchemy
    and duckdb-engine, on a built warehouse in place of /srv/bi/."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    found = re.search(r"\n    (duckdb:////\S+)\n    (\{.*\})\n", readme)
    assert found, "the README gives no SQLAlchemy URI and engine parameters"
    uri = found.group(1).replace("/srv/bi/labeling_analytics.duckdb", str(sample_build.database.resolve()))
    engine = sqlalchemy.create_engine(uri, **json.loads(found.group(2)))
    try:
        with engine.connect() as connection:
            marts = connection.execute(
                sqlalchemy.text("select table_name from information_schema.tables where table_schema = 'marts'")
            ).scalars().all()  # fmt: skip
            assert len(marts) >= 16
            counts = {name: connection.execute(sqlalchemy.text(f"select count(*) from marts.{name}")).scalar_one()
                      for name in marts}  # fmt: skip
            assert all(count > 0 for count in counts.values()), counts
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                connection.execute(sqlalchemy.text("create table marts.scratch as select 1 as one"))
    finally:
        engine.dispose()
