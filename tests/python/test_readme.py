"""The README as written: its example queries answer on a built warehouse (the sample), its BI
connection reads every mart read-only, and its metric, report and docs commands run."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
import sqlalchemy

from .conftest import PROJECT_ROOT, Build, project_copy

README = (PROJECT_ROOT / "README.md").read_text()
QUERIES = re.findall(r"```sql\n(.*?)```", README, flags=re.DOTALL)


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
    found = re.search(r"\n    (duckdb:////\S+)\n    (\{.*\})\n", README)
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


def readme_block(needle: str) -> str:
    blocks = [block for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL) if needle in block]
    assert len(blocks) == 1, f"the README has {len(blocks)} shell blocks with {needle!r}"
    return blocks[0]


def test_the_readme_metrics_report_and_docs_commands_run_as_written(tmp_path: Path) -> None:
    """The README's blocks for `mf`, the report and the docs site, in a copy of the project (which
    `make build` builds on the sample), as a user types them."""
    project = project_copy(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELING_ANALYTICS_", "DBT_", "MAKEFLAGS"))}

    def run(block: str) -> str:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=project, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    run("make build")
    metrics = run(readme_block(".venv/bin/mf query"))
    assert metrics.count("Success") >= 4 and "ERROR:" not in metrics
    assert "pedestrian" in metrics and "labeling_speed" in metrics
    with (project / "rework.csv").open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert {"team", "rework_rate", "submitted_images"} <= set(rows[0])
    assert sum(int(row["submitted_images"]) for row in rows) > 0

    run(readme_block("make report"))
    for name in ("labeling-report.html", "team-1-may.html"):
        html = (project / "reports" / name).read_text()
        assert '<script type="application/json" id="report-data">' in html and "Plotly" in html

    run(readme_block("make docs"))
    assert "semantic_model.labeling_analytics.member_days" in (project / "site" / "index.html").read_text()
