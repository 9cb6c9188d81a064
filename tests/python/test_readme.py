"""The README as written: its example queries answer on a built warehouse (the sample), its BI
connection reads every mart read-only, and its metric, report and docs commands run."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
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


OLD_DUCKDB = "1.5.6"  # a DuckDB 1.x reader, as BI drivers embed


def test_the_readme_bi_copy_opens_in_sqlalchemy_and_in_duckdb_1(sample_build: Build, tmp_path: Path) -> None:
    """The README's BI copy (scripts/bi_copy.py) of a built warehouse, in place of /srv/bi/: Superset's
    connection as the README gives it (URI and engine parameters, through SQLAlchemy and
    duckdb-engine) reads every mart and cannot write; a DuckDB 1.x reader, which refuses the
    warehouse itself, reads the copy."""
    copy = tmp_path / "bi" / "labeling_analytics.duckdb"
    command = readme_block("scripts/bi_copy.py").strip().replace("/srv/bi/labeling_analytics.duckdb", str(copy))
    env = {**os.environ, "LABELING_ANALYTICS_DUCKDB_PATH": str(sample_build.database)}
    result = subprocess.run(command, shell=True, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    with sample_build.connect() as warehouse:
        marts = warehouse.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()  # fmt: skip
        expected = {name: warehouse.execute(f"select count(*) from marts.{name}").fetchone()[0] for (name,) in marts}  # type: ignore[index]
    assert len(expected) >= 16 and all(expected.values())

    found = re.search(r"\n    (duckdb:////\S+)\n    (\{.*\})\n", README)
    assert found, "the README gives no SQLAlchemy URI and engine parameters"
    engine = sqlalchemy.create_engine(
        found.group(1).replace("/srv/bi/labeling_analytics.duckdb", str(copy)), **json.loads(found.group(2))
    )
    try:
        with engine.connect() as connection:
            counts = {name: connection.execute(sqlalchemy.text(f"select count(*) from marts.{name}")).scalar_one()
                      for name in expected}  # fmt: skip
            assert counts == expected
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                connection.execute(sqlalchemy.text("create table marts.scratch as select 1 as one"))
    finally:
        engine.dispose()

    venv = tmp_path / "duckdb-1"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", f"duckdb=={OLD_DUCKDB}"],
        check=True, capture_output=True,
    )  # fmt: skip
    script = (
        "import duckdb, json, sys\n"
        "c = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(json.dumps({n: c.execute(f'select count(*) from marts.{n}').fetchone()[0] for n in sys.argv[2:]}))\n"
    )
    old = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, str(copy), *expected], capture_output=True, text=True
    )
    assert old.returncode == 0, old.stderr[-2000:]
    assert json.loads(old.stdout) == expected
    refused = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, str(sample_build.database)], capture_output=True, text=True
    )
    assert refused.returncode != 0 and "newer version of DuckDB" in refused.stderr


def readme_block(needle: str) -> str:
    blocks = [block for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL) if needle in block]
    assert len(blocks) == 1, f"the README has {len(blocks)} shell blocks with {needle!r}"
    return blocks[0]


def test_the_readme_metrics_report_docs_and_upgrade_commands_run_as_written(tmp_path: Path) -> None:
    """The README's blocks for `mf`, the report, the docs site and the upgrade of an incremental mart,
    in a copy of the project (which `make build` builds on the sample), as a user types them."""
    project = project_copy(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELING_ANALYTICS_", "DBT_", "MAKEFLAGS"))}

    def run(block: str, returncode: int = 0) -> str:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=project, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == returncode, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout + result.stderr

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

    # A warehouse built before `resubmissions_after_rejection` existed: the next build stops on the
    # mart with the message the README quotes, the README's command rebuilds it, and all is well again.
    with duckdb.connect(str(project / "warehouse" / "labeling_analytics.duckdb")) as connection:
        connection.execute("alter table marts.image_review_outcomes drop column resubmissions_after_rejection")
    assert "has no resubmissions_after_rejection" in run("make report", returncode=2)
    stopped = run("make build", returncode=2)
    assert "The source and target schemas on this incremental model are out of sync" in stopped
    assert "Source columns not in target" in stopped and "resubmissions_after_rejection" in stopped
    run(readme_block("--select image_review_outcomes"))
    run("make build")
    run(readme_block("make report"))
