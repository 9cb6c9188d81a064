"""Builds on raw folders other than the sample: overrides, empty folders, unsupported files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from .conftest import SAMPLE_DIR, build_warehouse, run_dbt


def record(action: str, date: str) -> str:
    return json.dumps({"userId": 7, "action": action, "date": date, "meta": {}})


def test_empty_raw_folder_builds_an_empty_warehouse(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    build = build_warehouse(raw, tmp_path / "work")
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    with build.connect() as db:
        assert db.execute("select count(*) from staging.stg_supervisely__activity").fetchall() == [(0,)]
        assert db.execute("select count(*) from staging.stg_supervisely__export_files").fetchall() == [(0,)]


def test_vars_override_the_raw_folder_and_the_team(tmp_path: Path) -> None:
    """`--vars` wins over the environment; a default team takes files with no team folder."""
    raw = tmp_path / "exports"
    (raw / "2024-06-01").mkdir(parents=True)
    (raw / "2024-06-01" / "activity.ndjson").write_text(
        record("login", "2024-06-01T08:00:00Z") + "\n" + record("logout", "2024-06-01T09:00:00Z") + "\n"
    )
    # Nothing a reader takes: listed and warned about, never silently skipped.
    (raw / "2024-06-01" / "activity.xlsx").write_bytes(b"PK\x03\x04")
    (raw / ".activity.jsonl.part").write_text("half-written by an extractor")
    vars_arg = json.dumps({"raw_root": str(raw), "default_team_id": 42})
    build = build_warehouse(tmp_path / "not-used", tmp_path / "work", ["--vars", vars_arg])
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    assert "WARN" in build.result.stdout and "warn_unsupported_raw_files" in build.result.stdout
    with build.connect() as db:
        events = db.execute(
            "select team_id, action from staging.stg_supervisely__activity order by occurred_at"
        ).fetchall()
        assert events == [(42, "login"), (42, "logout")]
        formats = dict(
            db.execute(
                "select regexp_extract(source_file, '[^/]+$'), source_format from staging.stg_supervisely__export_files"
            ).fetchall()
        )
        assert formats == {
            "activity.ndjson": "json_lines",
            "activity.xlsx": "unsupported",
            ".activity.jsonl.part": "ignored",
        }


def test_conservation_test_fails_when_a_row_goes_missing(tmp_path: Path) -> None:
    """The per-file conservation test is not vacuous: lose one staged event and it fails."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_DIR / "team_id=2", raw / "team_id=2")
    build = build_warehouse(raw, tmp_path / "work")
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    with duckdb.connect(str(build.database)) as db:
        db.execute(
            "delete from staging.stg_supervisely__activity "
            "where event_id = (select min(event_id) from staging.stg_supervisely__activity)"
        )
    result = run_dbt(
        ["test", "--select", "assert_raw_rows_conserved_per_file"],
        tmp_path / "work",
        {"LABELING_ANALYTICS_RAW_DIR": str(raw)},
    )
    assert result.returncode == 1
    assert "FAIL 1 assert_raw_rows_conserved_per_file" in result.stdout
