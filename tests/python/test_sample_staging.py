"""The hand-made sample, built for real: every action staged, every quirk handled, no row lost."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from .conftest import PROJECT_ROOT, SAMPLE_DIR, TEST_SALT
from .raw_counts import count_raw_rows

Query = Callable[..., list[tuple[object, ...]]]
T1 = "data/sample/team_id=1"
T2 = "data/sample/team_id=2"
VISIT = "annotation_duration"


def seed_column(seed: str, column: str) -> set[str]:
    with (PROJECT_ROOT / "seeds" / f"{seed}.csv").open(newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def salted(value: str) -> str:
    return hashlib.sha256((TEST_SALT + value.lower()).encode()).hexdigest()


def one(query: Query, sql: str, *params: object) -> tuple[object, ...]:
    rows = query(sql, *params)
    assert len(rows) == 1, rows
    return rows[0]


def test_every_catalog_action_is_staged_typed(query: Query) -> None:
    staged = {row[0] for row in query("select distinct action from staging.stg_supervisely__activity")}
    catalog = seed_column("activity_action_catalog", "action")
    assert len(catalog) == 47
    assert catalog - staged == set()


def test_every_reject_reason_has_a_sample_row(query: Query) -> None:
    found = {row[0] for row in query("select distinct reject_reason from staging.stg_supervisely__activity_rejected")}
    assert seed_column("reject_reasons", "reject_reason") == found


@pytest.mark.parametrize("path", sorted(p for p in SAMPLE_DIR.rglob("*") if p.is_file() and p.suffix != ".md"))
def test_rows_are_conserved_per_file(path: Path, query: Query) -> None:
    """Rows counted by Python equal events + duplicates + rejected rows, and the file inventory."""
    source_file = path.relative_to(PROJECT_ROOT).as_posix()
    expected = count_raw_rows(path)
    staged = one(
        query,
        """
        select
            (select count(*) from staging.stg_supervisely__activity where source_file = $1),
            (select count(*) from staging.stg_supervisely__activity_duplicates where source_file = $1),
            (select count(*) from staging.stg_supervisely__activity_rejected where source_file = $1),
            (select raw_row_count from staging.stg_supervisely__export_files where source_file = $1)
        """,
        source_file,
    )
    events, duplicates, rejected, inventory = staged
    assert inventory == expected, source_file
    assert events + duplicates + rejected == expected, (source_file, staged)  # type: ignore[operator]


def test_sample_totals(query: Query) -> None:
    counts = dict(query("select row_status, count(*) from staging.stg_supervisely__activity_rows group by 1"))
    assert counts == {"event": 79, "duplicate": 8, "rejected": 25}
    assert one(query, "select count(distinct team_id) from staging.stg_supervisely__activity") == (2,)


def test_dates_with_and_without_milliseconds_and_offsets_are_utc(query: Query) -> None:
    no_millis = one(
        query,
        "select occurred_at from staging.stg_supervisely__activity "
        "where team_id = 1 and user_id = 7 and action = 'login' and occurred_at::date = '2024-05-01'",
    )
    assert no_millis == (dt.datetime(2024, 5, 1, 9, 0, 0),)
    with_millis = one(
        query,
        "select occurred_at from staging.stg_supervisely__activity "
        "where team_id = 1 and figure_id = 9001 and action = 'create_figure'",
    )
    assert with_millis == (dt.datetime(2024, 5, 1, 9, 1, 10, 250000),)
    # 11:30 at +02:00 in the export.
    offset = one(
        query,
        "select occurred_at from staging.stg_supervisely__activity where user_id = 8 and review_status = 'rejected'",
    )
    assert offset == (dt.datetime(2024, 5, 1, 9, 30),)


def test_pandas_csv_float_ids_and_missing_values(query: Query) -> None:
    header = (SAMPLE_DIR / "team_id=2/2024-05-01/activity.csv").read_text().splitlines()[0]
    assert header.split(",")[1] == "type", "the CSV sample names the event column `type`"
    assert "3001.0" in (SAMPLE_DIR / "team_id=2/2024-05-01/activity.csv").read_text()
    figure = one(
        query,
        "select project_id, dataset_id, image_id, class_id, figure_id, job_id, tag_id, tag_name "
        "from staging.stg_supervisely__activity where source_format = 'csv' and action = 'create_figure'",
    )
    assert figure == (3001, 4001, 900001, 61, 5001, 77, None, None)  # tag: 'NaN' in the file
    login = one(
        query,
        "select project_id, project_name, image_name from staging.stg_supervisely__activity "
        "where source_format = 'csv' and action = 'login'",
    )
    assert login == (None, None, None)  # 'None' in the file
    names = query(
        "select count(*) from staging.stg_supervisely__activity where "
        "list_has_any([user_name, project_name, dataset_name, image_name, class_name, job_name, "
        "tag_name], ['None', 'NaN', ''])"
    )
    assert names == [(0,)]


def test_python_repr_meta_is_parsed(query: Query) -> None:
    tag = one(
        query,
        "select tag_value, meta_target_id, tag_start_frame, meta->>'value' "
        "from staging.stg_supervisely__activity where source_format = 'csv' and action = 'attach_tag'",
    )
    assert tag == ('it\'s a "crowd"', 101, None, 'it\'s a "crowd"')
    figure = one(
        query,
        "select figure_source, frame, normal_x, normal_y, normal_z from staging.stg_supervisely__activity "
        "where source_format = 'csv' and action = 'create_figure'",
    )
    assert figure == ("clone", 0, 0.0, 0.0, 1.0)


def test_every_export_shape_is_read(query: Query) -> None:
    by_file = dict(query("select source_file, count(*) from staging.stg_supervisely__activity_rows group by 1"))
    assert by_file[f"{T1}/2024-05-02/activity.jsonl.gz"] == 28  # gzipped JSON Lines
    assert by_file[f"{T1}/2024-05-02/teams-activity-page-1.json"] == 5  # one API page
    assert by_file[f"{T1}/2024-05-03/teams-activity-pages.json"] == 3  # a list of pages
    assert by_file[f"{T1}/2024-05-03/get-activity.json"] == 3  # a list of records
    assert by_file[f"{T2}/2024-05-03/to-json-lines.json"] == 2  # JSON Lines saved as .json
    assert by_file[f"{T2}/2024-05-02/activity.parquet"] == 3
    rows = query(
        "select source_row_number, action from staging.stg_supervisely__activity where source_file = $1 order by 1",
        f"{T1}/2024-05-03/teams-activity-pages.json",
    )
    assert rows == [(1, "login"), (2, "annotation_duration"), (3, "create_figure")]


def test_blank_lines_and_windows_line_ends(query: Query) -> None:
    text = (SAMPLE_DIR / "team_id=1/2024-05-01/activity.jsonl").read_text()
    assert text.endswith("\n\n")
    assert "\r\n" in (SAMPLE_DIR / "team_id=1/2024-05-01/activity-part2.jsonl").read_bytes().decode()
    part2 = query(
        "select count(*), count(distinct source_row_number) from staging.stg_supervisely__activity "
        "where source_file = $1",
        f"{T1}/2024-05-01/activity-part2.jsonl",
    )
    assert part2 == [(15, 15)]


def test_the_same_event_twice_is_one_event(query: Query) -> None:
    duplicates = query(
        "select d.source_file, d.source_row_number, a.source_file, a.action "
        "from staging.stg_supervisely__activity_duplicates as d "
        "inner join staging.stg_supervisely__activity as a on d.duplicate_of_event_id = a.event_id "
        "order by 1, 2"
    )
    assert duplicates == [
        # The item visits again from Parquet, meta a struct of doubles: 150.0 is 150.
        (f"{T1}/2024-05-01/visits-struct-meta.parquet", 1, f"{T1}/2024-05-01/activity-part2.jsonl", VISIT),
        (f"{T1}/2024-05-01/visits-struct-meta.parquet", 2, f"{T1}/2024-05-01/activity-part2.jsonl", VISIT),
        # Overlapping delivery: the API page repeats the day's JSON Lines, and one event twice.
        (f"{T1}/2024-05-02/teams-activity-page-1.json", 2, f"{T1}/2024-05-02/activity.jsonl.gz", "restore_project"),
        (f"{T1}/2024-05-02/teams-activity-page-1.json", 3, f"{T1}/2024-05-02/activity.jsonl.gz", "disable_project"),
        (f"{T1}/2024-05-02/teams-activity-page-1.json", 4, f"{T1}/2024-05-02/activity.jsonl.gz", "disable_project"),
        # Exported again after the project's rename: still the same event.
        (f"{T1}/2024-05-02/teams-activity-page-1.json", 5, f"{T1}/2024-05-01/activity.jsonl", "create_project"),
        # The same event as CSV and as Parquet.
        (f"{T2}/2024-05-02/activity.parquet", 1, f"{T2}/2024-05-01/activity.csv", "create_figure"),
        # The older 13-field shape of an event also exported in full.
        (f"{T2}/legacy/projects-activity.json", 1, f"{T2}/2024-05-01/activity.csv", "create_project"),
    ]  # fmt: skip
    counts = dict(
        query("select action, delivery_count from staging.stg_supervisely__activity where team_id = 1 "
              "and action in ('disable_project', 'restore_project', 'create_project')")
    )  # fmt: skip
    assert counts == {"disable_project": 3, "restore_project": 2, "create_project": 2}


def test_ids_are_keys_and_names_follow_renames(query: Query) -> None:
    names = query(
        "select distinct project_name from staging.stg_supervisely__activity where project_id = 1817 order by 1"
    )
    assert names == [("App_Test_Poly",), ("Poly v2",)]


def test_older_13_field_shape(query: Query) -> None:
    rows = query(
        "select action, record_shape, meta, job_id, tag_id from staging.stg_supervisely__activity "
        "where source_file = $1 order by source_row_number",
        f"{T2}/legacy/projects-activity.json",
    )
    assert rows == [
        ("update_project", "legacy_13_field", None, None, None),
        ("update_figure", "legacy_13_field", None, None, None),
    ]


def test_team_comes_from_the_path(query: Query) -> None:
    teams = dict(query("select team_id, count(*) from staging.stg_supervisely__activity group by 1"))
    assert set(teams) == {1, 2}
    unassigned = one(
        query,
        "select reject_reason, team_id from staging.stg_supervisely__activity_rejected "
        "where source_file = 'data/sample/unassigned/activity.jsonl'",
    )
    assert unassigned == ("missing_team", None)


def test_malformed_json_document_is_one_quarantined_row(query: Query) -> None:
    rows = query(
        "select source_row_number, reject_reason from staging.stg_supervisely__activity_rejected "
        "where source_file = $1",
        f"{T2}/2024-05-03/truncated-export.json",
    )
    assert rows == [(0, "malformed_json")]


def test_personal_data_is_hashed_with_the_salt(query: Query) -> None:
    login = one(
        query,
        "select ip_hash, meta->>'ip' from staging.stg_supervisely__activity where user_id = 9 and action = 'login'",
    )
    assert login == (salted("203.0.113.9"), salted("203.0.113.9"))
    email = one(
        query,
        "select new_email_hash, old_email_hash from staging.stg_supervisely__activity where action = 'email_changed'",
    )
    assert email == (salted("maria.new@example.com"), salted("maria@example.com"))


def test_no_personal_data_in_clear_anywhere(sample_db: duckdb.DuckDBPyConnection) -> None:
    secrets = [
        "203.0.113.9", "198.51.100.7", "192.0.2.21", "2001:db8::8",
        "maria.new@example.com", "maria@example.com",
        # in quarantined rows: a meta object, a Python repr, a double-encoded string
        "203.0.113.77", "192.0.2.99", "maria.q@example.com", "mq@example.com", "192.0.2.150",
    ]  # fmt: skip
    columns = sample_db.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON') or data_type like '%[]'"
    ).fetchall()
    assert columns
    for schema, table, column in columns:
        for secret in secrets:
            hits = sample_db.execute(
                f'select count(*) from "{schema}"."{table}" where cast("{column}" as varchar) like $1',
                [f"%{secret}%"],
            ).fetchone()
            assert hits == (0,), f"{secret} in {schema}.{table}.{column}"


def test_quarantined_text_keeps_the_row_without_personal_data(query: Query) -> None:
    rows = dict(
        query(
            "select action, record_text from staging.stg_supervisely__activity_rejected "
            "where action in ('sign_in', 'email_changed') or (action = 'login' and source_format = 'csv')"
        )
    )
    assert set(rows) == {"sign_in", "email_changed", "login"}
    for action, text in rows.items():
        record = json.loads(str(text))
        assert (record.get("action") or record.get("type")) == action  # the CSV calls it `type`
        assert record["meta"] == {}, text  # ip, newEmail, oldEmail taken out of the parsed meta
    malformed = query(
        "select record_text from staging.stg_supervisely__activity_rejected "
        "where reject_reason = 'malformed_json' and source_row_number = 1"
    )
    assert malformed == [('{"userId": 7, "action": "login", "date": "2024-05-04T09:00:00.000Z"',)]
