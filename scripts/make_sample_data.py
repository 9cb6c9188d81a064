"""Write the hand-made sample exports under data/sample/ (run from the repository root).

Every record below is written by hand to show one thing: each action of the catalog, each quirk of
the raw exports (see data/sample/README.md) and each quarantine reason. The script only turns them
into the shapes users have (JSON Lines, gzip, API pages, CSV, Parquet), so the binary files can be
rebuilt: `.venv/bin/python scripts/make_sample_data.py`.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path("data/sample")
Record = dict[str, Any]

FIELDS = [
    "userId", "action", "date", "user", "projectId", "project", "datasetId", "dataset", "imageId",
    "image", "classId", "class", "figureId", "job", "jobId", "tag", "tagId", "meta",
]  # fmt: skip
LEGACY_FIELDS = FIELDS[:13]


def rec(user_id: int | None, action: str | None, date: str | None, **fields: object) -> Record:
    """A full 18-field record, in the API's key order, with nulls where not given."""
    users = {7: "cxnt", 8: "maria", 9: "admin", 21: "li.wei", 22: "sam", 23: "boss"}
    record: Record = {key: None for key in FIELDS}
    record.update(userId=user_id, action=action, date=date, user=users.get(user_id or 0), meta={})
    record.update(fields)
    return record


# --- team 1 -----------------------------------------------------------------------------------
P1 = {"projectId": 1817, "project": "App_Test_Poly", "datasetId": 2370, "dataset": "train"}
IMG = {**P1, "imageId": 726985, "image": "IMG_8144.jpeg"}
IMG2 = {**P1, "imageId": 726986, "image": "IMG_8145.jpeg"}
JOB = {"jobId": 31, "job": "Poly batch 1"}
CAR = {"classId": 55, "class": "car"}

TEAM1_DAY1 = [
    rec(9, "login", "2024-05-01T07:58:02.120Z", meta={"ip": "203.0.113.9"}),
    rec(9, "login_to_team", "2024-05-01T07:58:03.004Z"),
    rec(9, "create_workspace", "2024-05-01T07:59:10.000Z", meta={"id": 5}),
    rec(9, "create_project", "2024-05-01T08:00:00.000Z", **P1),
    rec(9, "update_project", "2024-05-01T08:00:30.500Z", **P1),
    rec(9, "create_dataset", "2024-05-01T08:01:00.000Z", **P1),
    rec(9, "create_class", "2024-05-01T08:01:30.000Z", **P1, **CAR),
    rec(9, "update_class", "2024-05-01T08:01:45.000Z", **P1, **CAR),
    rec(9, "create_image", "2024-05-01T08:02:00.000Z", **IMG),
    rec(9, "create_image", "2024-05-01T08:02:00.001Z", **IMG2),
    rec(9, "update_image", "2024-05-01T08:02:30.000Z", **IMG),
    rec(7, "login", "2024-05-01T09:00:00Z", meta={"ip": "198.51.100.7"}),  # no milliseconds
    rec(7, "create_figure", "2024-05-01T09:01:10.250Z", **IMG, **CAR, **JOB, figureId=9001),
    rec(
        7,
        "create_figure",
        "2024-05-01T09:01:40.000Z",
        **IMG,
        **CAR,
        **JOB,
        figureId=9002,
        meta={"source": "clone"},
    ),
    rec(
        7,
        "create_figure",
        "2024-05-01T09:02:05.000Z",
        **IMG,
        **CAR,
        **JOB,
        figureId=9003,
        meta={
            "source": "tracking",
            "frame": 3,
            "seekPosition": 0.12,
            "sliceIndex": 4,
            "normal": {"x": 0, "y": 0, "z": 1},
        },
    ),
    rec(
        7,
        "update_figure",
        "2024-05-01T09:02:30.000Z",
        **IMG,
        **CAR,
        **JOB,
        figureId=9001,
        meta={"frame": 3},
    ),
    rec(7, "disable_figure", "2024-05-01T09:02:50.000Z", **IMG, **CAR, **JOB, figureId=9002),
    rec(7, "restore_figure", "2024-05-01T09:03:00.000Z", **IMG, **CAR, **JOB, figureId=9002),
    rec(
        7,
        "attach_tag",
        "2024-05-01T09:03:10.000Z",
        **IMG,
        **JOB,
        tagId=4720,
        tag="weather",
        meta={"id": 100, "value": "sunny", "startFrame": None, "endFrame": None},
    ),
    rec(
        7,
        "update_tag_value",
        "2024-05-01T09:03:20.000Z",
        **IMG,
        **JOB,
        tagId=4720,
        tag="weather",
        meta={"value": "rain", "startFrame": 0, "endFrame": 12},
    ),
    rec(
        7,
        "detach_tag",
        "2024-05-01T09:03:30.000Z",
        **IMG,
        **JOB,
        tagId=4720,
        tag="weather",
        meta={"value": "rain"},
    ),
    # One visit with edits (figureId set), one only viewed.
    rec(
        7,
        "annotation_duration",
        "2024-05-01T09:03:40.000Z",
        **IMG,
        **JOB,
        figureId=9001,
        meta={"duration": 150},
    ),
    rec(7, "annotation_duration", "2024-05-01T09:04:10.000Z", **IMG2, **JOB, meta={"duration": 12.5}),
    rec(
        7,
        "image_review_status_updated",
        "2024-05-01T09:04:20.000Z",
        **IMG,
        **JOB,
        meta={"reviewStatus": "done"},
    ),
    # An offset instead of Z: 11:30 at +02:00 is 09:30 UTC.
    rec(
        8,
        "image_review_status_updated",
        "2024-05-01T11:30:00.000+02:00",
        **IMG,
        **JOB,
        meta={"reviewStatus": "rejected"},
    ),
    rec(
        7,
        "image_review_status_updated",
        "2024-05-01T09:40:00.000Z",
        **IMG,
        **JOB,
        meta={"reviewStatus": "done"},
    ),
    rec(
        8,
        "image_review_status_updated",
        "2024-05-01T09:50:00.000Z",
        **IMG,
        **JOB,
        meta={"reviewStatus": "accepted"},
    ),
    rec(
        9,
        "image_review_status_updated",
        "2024-05-01T10:10:00.000Z",
        **IMG,
        **JOB,
        meta={"reviewStatus": "quality_check_accepted"},
    ),
    rec(
        9,
        "image_review_status_updated",
        "2024-05-01T10:15:00.000Z",
        **IMG2,
        **JOB,
        meta={"reviewStatus": "none"},
    ),
    rec(7, "logout", "2024-05-01T10:30:00.000Z", meta={}),
]

P1_RENAMED = {**P1, "project": "Poly v2"}
TEAM1_DAY2 = [
    rec(9, "update_project", "2024-05-02T08:00:00.000Z", **P1_RENAMED),
    rec(9, "update_dataset", "2024-05-02T08:05:00.000Z", **P1_RENAMED),
    rec(9, "disable_dataset", "2024-05-02T08:06:00.000Z", **P1_RENAMED),
    rec(9, "restore_dataset", "2024-05-02T08:07:00.000Z", **P1_RENAMED),
    rec(9, "disable_image", "2024-05-02T08:08:00.000Z", **{**IMG2, **P1_RENAMED}),
    rec(9, "restore_image", "2024-05-02T08:09:00.000Z", **{**IMG2, **P1_RENAMED}),
    rec(9, "disable_class", "2024-05-02T08:10:00.000Z", **P1_RENAMED, **CAR),
    rec(9, "restore_class", "2024-05-02T08:11:00.000Z", **P1_RENAMED, **CAR),
    rec(9, "create_backup", "2024-05-02T08:12:00.000Z", **P1_RENAMED),
    rec(9, "export_project", "2024-05-02T08:13:00.000Z", **P1_RENAMED),
    rec(9, "create_model", "2024-05-02T08:20:00.000Z", **P1_RENAMED, meta={"id": 77}),
    rec(9, "model_train", "2024-05-02T08:21:00.000Z", **P1_RENAMED, meta={"id": 77}),
    rec(9, "model_inference", "2024-05-02T08:40:00.000Z", **P1_RENAMED, meta={"id": 77}),
    rec(9, "disable_model", "2024-05-02T08:41:00.000Z", meta={"id": 77}),
    rec(9, "restore_model", "2024-05-02T08:42:00.000Z", meta={"id": 77}),
    rec(9, "create_plugin", "2024-05-02T08:50:00.000Z", meta={"id": 12}),
    rec(9, "disable_plugin", "2024-05-02T08:51:00.000Z", meta={"id": 12}),
    rec(9, "restore_plugin", "2024-05-02T08:52:00.000Z", meta={"id": 12}),
    rec(9, "create_node", "2024-05-02T08:53:00.000Z", meta={"id": 3}),
    rec(9, "disable_node", "2024-05-02T08:54:00.000Z", meta={"id": 3}),
    rec(9, "restore_node", "2024-05-02T08:55:00.000Z", meta={"id": 3}),
    rec(9, "disable_workspace", "2024-05-02T08:56:00.000Z", meta={"id": 5}),
    rec(9, "restore_workspace", "2024-05-02T08:57:00.000Z", meta={"id": 5}),
    rec(9, "add_member", "2024-05-02T09:00:00.000Z", meta={"id": 10}),
    rec(9, "remove_member", "2024-05-02T09:01:00.000Z", meta={"id": 10}),
    rec(
        8,
        "email_changed",
        "2024-05-02T09:05:00.000Z",
        meta={"newEmail": "maria.new@example.com", "oldEmail": "maria@example.com"},
    ),
    rec(9, "disable_project", "2024-05-02T17:00:00.000Z", **P1_RENAMED),
    rec(9, "restore_project", "2024-05-02T17:05:00.000Z", **P1_RENAMED),
]

# The API's page, newest first, as one `teams.activity` response: it overlaps the day-2 JSON
# Lines file (the same events delivered twice), repeats one event inside itself (written while
# the SDK paged), and carries an event of day 1 exported after the project's rename.
day1_create_project_after_rename = {**TEAM1_DAY1[3], "project": "Poly v2"}
PAGE_ENTITIES = [
    rec(7, "logout", "2024-05-02T18:00:00.000Z"),
    TEAM1_DAY2[-1],
    TEAM1_DAY2[-2],
    TEAM1_DAY2[-2],
    day1_create_project_after_rename,
]
API_PAGE = {"total": 5, "perPage": 5, "pagesCount": 1, "entities": PAGE_ENTITIES}

# A list of two pages, as a script that saved every page it fetched writes it.
TEAM1_PAGES = [
    {"total": 3, "perPage": 2, "pagesCount": 2, "entities": [
        rec(7, "login", "2024-05-03T09:00:00.000Z", meta={}),
        rec(7, "annotation_duration", "2024-05-03T09:10:00.000Z", **IMG2, **JOB, figureId=9004,
            meta={"duration": 45}),
    ]},
    {"total": 3, "perPage": 2, "pagesCount": 2, "entities": [
        rec(7, "create_figure", "2024-05-03T09:09:30.000Z", **IMG2, **CAR, **JOB, figureId=9004),
    ]},
]  # fmt: skip

# A plain list of records (api.team.get_activity's return value dumped with json.dump).
TEAM1_RECORDS = [
    rec(8, "login", "2024-05-03T10:00:00Z", meta={"ip": "2001:db8::8"}),
    rec(8, "annotation_duration", "2024-05-03T10:02:00.000Z", **IMG2, **JOB, meta={"duration": 30}),
    rec(
        8,
        "image_review_status_updated",
        "2024-05-03T10:02:01.000Z",
        **IMG2,
        **JOB,
        meta={"reviewStatus": "accepted"},
    ),
]

# --- team 2: the pandas CSV export, Parquet, the older 13-field shape -------------------------
P2 = {"projectId": 3001, "project": "Street scenes", "datasetId": 4001, "dataset": "val"}
IMG3 = {**P2, "imageId": 900001, "image": "street_001.png"}
JOB2 = {"jobId": 77, "job": "Streets QA"}
PED = {"classId": 61, "class": "pedestrian"}

TEAM2_CSV = [
    rec(23, "create_project", "2024-05-01T06:00:00.000Z", **P2),
    rec(21, "login", "2024-05-01T06:30:00.000Z", meta={"ip": "192.0.2.21"}),
    rec(
        21,
        "create_figure",
        "2024-05-01T06:31:00.000Z",
        **IMG3,
        **PED,
        **JOB2,
        figureId=5001,
        meta={"source": "clone", "frame": 0, "normal": {"x": 0.0, "y": 0.0, "z": 1.0}},
    ),
    rec(
        21,
        "attach_tag",
        "2024-05-01T06:31:30.000Z",
        **IMG3,
        **JOB2,
        tagId=4720,
        tag="note",
        meta={"id": 101, "value": 'it\'s a "crowd"', "startFrame": None, "endFrame": None},
    ),
    rec(
        21,
        "annotation_duration",
        "2024-05-01T06:32:00.000Z",
        **IMG3,
        **JOB2,
        figureId=5001,
        meta={"duration": 95.5},
    ),
    rec(
        21,
        "image_review_status_updated",
        "2024-05-01T06:32:01.000Z",
        **IMG3,
        **JOB2,
        meta={"reviewStatus": "done"},
    ),
    rec(
        22,
        "image_review_status_updated",
        "2024-05-01T07:00:00.000Z",
        **IMG3,
        **JOB2,
        meta={"reviewStatus": "accepted"},
    ),
    rec(21, "logout", "2024-05-01T07:30:00.000Z", meta={}),
    # No user: quarantined, its IP (in a Python repr) redacted there.
    rec(None, "login", "2024-05-01T07:45:00.000Z", meta={"ip": "192.0.2.99"}),
]

TEAM2_PARQUET = [
    TEAM2_CSV[2],  # the same event as in the CSV: one event, delivered in two shapes
    rec(
        21,
        "update_figure",
        "2024-05-02T06:40:00.000Z",
        **IMG3,
        **PED,
        **JOB2,
        figureId=5001,
        meta={"frame": 0},
    ),
    rec(21, "annotation_duration", "2024-05-02T06:45:00.000Z", **IMG3, **JOB2, meta={"duration": 20}),
]

# The older endpoint (`projects.activity`): 13 fields, no job, tag or meta.
TEAM2_LEGACY = [
    {k: TEAM2_CSV[0][k] for k in LEGACY_FIELDS},  # also in the CSV in full: one event
    {k: v for k, v in rec(23, "update_project", "2024-05-03T06:00:00.000Z", **P2).items()
     if k in LEGACY_FIELDS},
    {k: v for k, v in rec(21, "update_figure", "2024-05-03T06:05:00.000Z", **IMG3, **PED,
                          figureId=5001).items() if k in LEGACY_FIELDS},
]  # fmt: skip

TEAM2_LINES_IN_JSON = [
    rec(22, "login", "2024-05-03T08:00:00.000Z", meta={}),
    rec(22, "annotation_duration", "2024-05-03T08:01:00.000Z", **IMG3, **JOB2, meta={"duration": 0}),
]

# --- rows that must be quarantined, one (or more) per reason ---------------------------------
MARIA_Q_EMAILS = {"newEmail": "maria.q@example.com", "oldEmail": "mq@example.com"}
REJECTS: list[str] = [
    '{"userId": 7, "action": "login", "date": "2024-05-04T09:00:00.000Z"',  # malformed_json
    "[1, 2, 3]",  # not_an_object
    json.dumps(rec(7, None, "2024-05-04T09:00:01.000Z")),  # missing_action
    json.dumps(rec(7, "open_image", "2024-05-04T09:00:02.000Z", **IMG)),  # unknown_action
    json.dumps(rec(7, "login", None)),  # missing_date
    json.dumps(rec(7, "login", "2024-05-04")),  # unparseable_date: no time of day
    json.dumps(rec(7, "login", "2024-02-30T09:00:00Z")),  # unparseable_date: no such day
    json.dumps(rec(7, "login", "1714813200")),  # unparseable_date: an epoch number
    json.dumps(rec(7, "update_image", "2024-05-04T09:00:03.000Z", **{**IMG, "imageId": "abc"})),
    json.dumps(rec(7, "update_image", "2024-05-04T09:00:04.000Z", **{**IMG, "imageId": 12.5})),
    json.dumps(rec(None, "login", "2024-05-04T09:00:05.000Z")),  # missing_user
    json.dumps(rec(7, "annotation_duration", "2024-05-04T09:00:06.000Z", **IMG,
                   meta={"duration": -5})),
    json.dumps(rec(7, "annotation_duration", "2024-05-04T09:00:07.000Z", **IMG,
                   meta={"duration": 90000})),
    json.dumps(rec(7, "annotation_duration", "2024-05-04T09:00:08.000Z", **IMG, meta={})),
    json.dumps(rec(8, "image_review_status_updated", "2024-05-04T09:00:09.000Z", **IMG,
                   meta={"reviewStatus": "maybe"})),
    json.dumps(rec(7, "logout", "2024-05-04T09:00:10.000Z", meta=[1])),  # meta_not_object
    json.dumps(rec(7, "logout", "2024-05-04T09:00:11.000Z", meta="{'ip': ")),  # meta_not_object
    json.dumps(rec(7, "create_figure", "2024-05-04T09:00:12.000Z", **IMG, **CAR)),  # no figureId
    # Quarantined rows that carry personal data, which must not reach the quarantine in clear:
    # an IP in a meta object, e-mails in a double-encoded meta string.
    json.dumps(rec(7, "sign_in", "2024-05-04T09:00:13.000Z", meta={"ip": "203.0.113.77"})),
    json.dumps(rec(8, "email_changed", "yesterday", meta=json.dumps(MARIA_Q_EMAILS))),
    # Several reasons at once: reported as the first by priority (missing_date), all listed.
    json.dumps(rec(None, "create_figure", None, **IMG)),
]  # fmt: skip

UNASSIGNED = [rec(7, "login", "2024-05-04T10:00:00.000Z")]  # no team_id=<n> in its path


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def jsonl(records: list[Record]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def pandas_cell(value: object, missing: str) -> str:
    """A value as pandas' to_csv writes it: dicts as Python reprs, ids made float by a NaN."""
    if value is None:
        return missing
    if isinstance(value, dict):
        return repr(value)
    return str(value)


def write_csv(path: Path, records: list[Record]) -> None:
    # The newer export names the event column `type`, as the API's filter does.
    header = ["type" if f == "action" else f for f in FIELDS]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i, record in enumerate(records):
            # Missing values the three ways exports write them: '', 'None' and 'NaN'.
            missing = ["", "None", "NaN"][i % 3]
            row = []
            for field in FIELDS:
                value = record[field]
                if field.endswith("Id") and isinstance(value, int):
                    value = float(value)  # 4720 -> '4720.0'
                row.append(pandas_cell(value, missing))
            writer.writerow(row)


def write_parquet(path: Path, records: list[Record]) -> None:
    """Ids as DOUBLE (a pandas column with a NaN), meta as JSON text, as pyarrow writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "rows.jsonl"
        rows = [{**r, "meta": json.dumps(r["meta"])} for r in records]
        staged.write_text(jsonl(rows), encoding="utf-8")
        columns = {f: ("DOUBLE" if f.endswith("Id") else "VARCHAR") for f in FIELDS}
        spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        duckdb.sql(
            f"copy (select * from read_json('{staged}', columns = {{{spec}}}, format = 'newline_delimited')) "
            f"to '{path}' (format parquet)"
        )


def write_parquet_struct(path: Path, records: list[Record]) -> None:
    """`meta` as a struct of every key of the file with DOUBLE numbers, as pyarrow infers it
    from dicts whose durations mix 150 and 12.5."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "rows.jsonl"
        staged.write_text(jsonl(records), encoding="utf-8")
        columns = {f: ("BIGINT" if f.endswith("Id") else "VARCHAR") for f in FIELDS}
        columns["meta"] = "STRUCT(duration DOUBLE, frame BIGINT)"
        spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        duckdb.sql(
            f"copy (select * from read_json('{staged}', columns = {{{spec}}}, format = 'newline_delimited')) "
            f"to '{path}' (format parquet)"
        )


# The day-1 item visits again, from a Parquet file whose meta is a struct of doubles: 150.0 there
# is the 150 of the JSON Lines, so both rows are duplicates.
TEAM1_VISITS_AS_STRUCT = [r for r in TEAM1_DAY1 if r["action"] == "annotation_duration"]


def main() -> None:
    for child in ROOT.iterdir() if ROOT.exists() else []:
        if child.is_dir():
            shutil.rmtree(child)
    t1, t2 = ROOT / "team_id=1", ROOT / "team_id=2"
    # A blank line and Windows line ends: neither is a record.
    write_text(t1 / "2024-05-01" / "activity.jsonl", jsonl(TEAM1_DAY1[:15]) + "\n")
    write_text(t1 / "2024-05-01" / "activity-part2.jsonl",
               jsonl(TEAM1_DAY1[15:]).replace("\n", "\r\n"))  # fmt: skip
    (t1 / "2024-05-02").mkdir(parents=True, exist_ok=True)
    # mtime=0: the same bytes on every run.
    with gzip.GzipFile(t1 / "2024-05-02" / "activity.jsonl.gz", "wb", mtime=0) as handle:
        handle.write(jsonl(TEAM1_DAY2).encode("utf-8"))
    write_text(t1 / "2024-05-02" / "teams-activity-page-1.json", json.dumps(API_PAGE, indent=2))
    write_text(t1 / "2024-05-03" / "teams-activity-pages.json", json.dumps(TEAM1_PAGES))
    write_text(t1 / "2024-05-03" / "get-activity.json", json.dumps(TEAM1_RECORDS, indent=1))
    write_text(t1 / "2024-05-04" / "rejects.jsonl", "\n".join(REJECTS) + "\n")
    write_parquet_struct(t1 / "2024-05-01" / "visits-struct-meta.parquet", TEAM1_VISITS_AS_STRUCT)
    write_csv(t2 / "2024-05-01" / "activity.csv", TEAM2_CSV)
    write_parquet(t2 / "2024-05-02" / "activity.parquet", TEAM2_PARQUET)
    write_text(t2 / "legacy" / "projects-activity.json", json.dumps(TEAM2_LEGACY))
    write_text(t2 / "2024-05-03" / "to-json-lines.json", jsonl(TEAM2_LINES_IN_JSON))
    write_text(t2 / "2024-05-03" / "truncated-export.json", json.dumps(TEAM2_LINES_IN_JSON)[:-40])
    write_text(ROOT / "unassigned" / "activity.jsonl", jsonl(UNASSIGNED))
    # Re-saved by Excel in cp1252: not UTF-8, so quarantined whole (its IP never printed).
    excel = t2 / "2024-05-03" / "excel-resave.csv"
    excel.write_bytes(
        "userId,action,date,user,meta\r\n21,login,2024-05-03T07:00:00.000Z,Renée,\"{'ip': '192.0.2.150'}\"\r\n".encode(
            "cp1252"
        )
    )


if __name__ == "__main__":
    main()
