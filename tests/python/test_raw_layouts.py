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
    # Not data: an extractor's half-written file, a notebook checkpoint, a note.
    (raw / ".activity.jsonl.part").write_text("half-written by an extractor")
    (raw / ".ipynb_checkpoints").mkdir()
    (raw / ".ipynb_checkpoints" / "activity.jsonl").write_text(record("login", "2024-06-01T08:00:00Z"))
    (raw / "NOTES.txt").write_text("exported by hand")
    (tmp_path / "sub").mkdir()
    # Spelled with a `..`, as scripts often build paths: glob() resolves it, so must the project.
    vars_arg = json.dumps({"raw_root": f"{tmp_path}/sub/../exports/", "default_team_id": 42})
    build = build_warehouse(tmp_path / "not-used", tmp_path / "work", ["--vars", vars_arg])
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    with build.connect() as db:
        events = db.execute(
            "select team_id, action from staging.stg_supervisely__activity order by occurred_at"
        ).fetchall()
        assert events == [(42, "login"), (42, "logout")]
        formats = dict(
            db.execute(
                "select regexp_extract(source_file, '[^/]+/[^/]+$'), source_format "
                "from staging.stg_supervisely__export_files"
            ).fetchall()
        )
        assert formats == {
            "2024-06-01/activity.ndjson": "json_lines",
            "exports/.activity.jsonl.part": "ignored",
            ".ipynb_checkpoints/activity.jsonl": "ignored",
            "exports/NOTES.txt": "ignored",
        }


def test_unsupported_files_stop_the_build(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "team_id=1"
    raw.mkdir(parents=True)
    (raw / "activity.jsonl").write_text(record("login", "2024-06-01T08:00:00Z") + "\n")
    (raw / "activity.xlsx").write_bytes(b"PK\x03\x04")
    (raw / "act[1].jsonl").write_text(record("logout", "2024-06-01T09:00:00Z") + "\n")
    build = build_warehouse(tmp_path / "raw", tmp_path / "work")
    assert build.result.returncode == 1
    assert "FAIL 2 assert_no_unsupported_raw_files" in build.result.stdout


def test_awkward_but_valid_files(tmp_path: Path) -> None:
    """A byte-order mark, whitespace-only lines, a symlinked team folder, a list mixing pages and
    records, a CSV with broken rows: all read, nothing lost, nothing fails the build."""
    raw = tmp_path / "raw"
    real = tmp_path / "elsewhere"
    (real / "day").mkdir(parents=True)
    (raw / "team_id=2").mkdir(parents=True)
    (raw / "team_id=1").symlink_to(real, target_is_directory=True)
    rows = [json.loads(record("login", f"2024-06-01T08:0{i}:00Z")) for i in range(3)]
    (real / "day" / "bom.json").write_text("\ufeff" + json.dumps(rows), encoding="utf-8")
    (real / "day" / "spaces.jsonl").write_text(
        record("login", "2024-06-02T08:00:00Z") + "\n \t\n\r\n" + record("logout", "2024-06-02T09:00:00Z") + "\n"
    )
    page = {"total": 1, "entities": [json.loads(record("login", "2024-06-03T08:00:00Z"))]}
    (raw / "team_id=2" / "mixed.json").write_text(
        json.dumps([page, json.loads(record("logout", "2024-06-03T09:00:00Z"))])
    )
    (raw / "team_id=2" / "broken.csv").write_text(
        "userId,action,date,meta\n"
        "7,login,2024-06-04T08:00:00Z,{}\n"
        "8,login,2024-06-04T08:01:00Z,{},someone@example.org\n"  # one field too many
        "9,login\n"  # too few
        "11,logout,2024-06-04T09:00:00Z,{}\n"
        "10,login,2024-06-04T09:03:00Z,\"{'ip': '10.1.2.3'}\n"  # unclosed quote, to the end
    )
    # pandas' index column (no name), a name repeated in another case, a quoted name with a comma.
    (raw / "team_id=2" / "odd-header.csv").write_text(
        ',userId,action,date,Action,"note, free",meta\n0,7,login,2024-06-06T08:00:00Z,x,"hello, world",{}\n'
    )
    # Not UTF-8 (a name in Latin-1): one quarantined row, and the line is printed nowhere.
    (raw / "team_id=2" / "latin1.jsonl").write_bytes(
        b'{"userId": 7, "action": "login", "date": "2024-06-05T08:00:00Z", "user": "Ren\xe9", '
        b'"meta": {"ip": "10.9.9.9"}}\n'
    )
    build = build_warehouse(raw, tmp_path / "work")
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    assert "10.1.2.3" not in build.result.stdout
    assert "10.9.9.9" not in build.result.stdout
    with build.connect() as db:
        per_file = dict(
            db.execute(
                "select regexp_extract(source_file, '[^/]+$'), raw_row_count from staging.stg_supervisely__export_files"
            ).fetchall()
        )
        assert per_file == {
            "bom.json": 3,
            "spaces.jsonl": 2,
            "mixed.json": 2,
            "broken.csv": 5,
            "latin1.jsonl": 1,
            "odd-header.csv": 1,
        }
        verdicts = db.execute(
            "select regexp_extract(source_file, '[^/]+$'), row_status, count(*) "
            "from staging.stg_supervisely__activity_rows group by all order by all"
        ).fetchall()
        assert verdicts == [
            ("bom.json", "event", 3),
            ("broken.csv", "event", 4),
            ("broken.csv", "rejected", 1),
            ("latin1.jsonl", "rejected", 1),
            # A list mixing a page and a record: the page's entities and the record.
            ("mixed.json", "event", 2),
            ("odd-header.csv", "event", 1),
            ("spaces.jsonl", "event", 2),
        ]
        teams = db.execute("select distinct team_id from staging.stg_supervisely__activity order by 1").fetchall()
        assert teams == [(1,), (2,)]


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
