"""The review and membership marts on a simulated team reproduce the simulator's ground truth, and
no mart publishes personal data in clear.

The personal data is read back from the raw exports in plain Python (export_reader), not from the
warehouse: display names, IP addresses and e-mail addresses as the platform wrote them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from labeling_analytics.simulator import TRUTH_DIR

from .conftest import TEST_SALT, Build
from .export_reader import read_events
from .test_intermediate_truth import count, differences

IPV4 = r"\b([0-9]{1,3}\.){3}[0-9]{1,3}\b"
EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]+"


@pytest.fixture
def db(simulated: tuple[Path, Build]) -> duckdb.DuckDBPyConnection:
    out, build = simulated
    connection = build.connect()
    for name in ("images", "membership"):
        connection.execute(f"create temp view truth_{name} as select * from '{out / TRUTH_DIR / name}.parquet'")
    return connection


def test_image_review_outcomes_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        select *
        from truth_images as truth
        left join marts.image_review_outcomes as built using (team_id, image_id)
        where built.image_id is null
            or (
                built.project_id, built.dataset_id, built.job_id, built.submissions, built.review_rounds,
                built.rework_rounds, built.final_review_status, built.labeler_user_id, built.reviewer_user_id,
                built.figures_created, built.first_opened_at, built.last_status_at, built.rejections,
                built.resubmissions_after_rejection
            ) is distinct from (
                truth.project_id, truth.dataset_id, truth.job_id, truth.submissions, truth.review_rounds,
                truth.rework_rounds, truth.final_review_status, truth.labeler_user_id, truth.reviewer_user_id,
                truth.figures_created, truth.first_opened_at, truth.last_status_at, truth.rejections,
                truth.resubmissions_after_rejection
            )
        """,
    )
    # the truth lists the items opened in the window; the mart may add only items never opened
    assert not differences(
        db,
        """
        select * from marts.image_review_outcomes
        anti join truth_images using (team_id, image_id)
        where is_opened
        """,
    )
    # `is_final` (accepted and not waiting for QA, or passed QA) depends on whether an accepted item
    # was queued for QA, which the log does not record: every final item is accepted, and an
    # accepted item that is not final is one whose last status is a plain `accepted` (awaiting QA)
    assert not differences(
        db,
        """
        select *
        from truth_images as truth
        inner join marts.image_review_outcomes as built using (team_id, image_id)
        where (truth.is_final and not built.is_accepted)
            or (built.is_accepted and not truth.is_final and truth.final_review_status <> 'accepted')
        """,
    )
    # the run exercises what the rules are about: rework, resets, first-pass verdicts both ways
    assert count(db, "select count(*) from marts.image_review_outcomes where rework_rounds > 0") > 0
    assert count(db, "select count(*) from marts.image_review_outcomes where resets > 0") > 0
    assert count(db, "select count(*) from marts.image_review_outcomes where resubmissions_after_rejection > 1") > 0
    assert count(db, "select count(*) from marts.image_review_outcomes where is_first_pass_accepted") > 0
    assert count(db, "select count(*) from marts.image_review_outcomes where not is_first_pass_accepted") > 0


def test_team_membership_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    # the simulator adds or removes a member at most once: one interval per member
    assert not differences(
        db,
        """
        select *
        from marts.team_membership as built
        full join truth_membership as truth
            on built.team_id = truth.team_id and built.member_user_id = truth.user_id
        where built.member_user_id is null
            or truth.user_id is null
            or (
                built.is_member_before_window, built.added_at, built.added_by_user_id, built.removed_at,
                built.removed_by_user_id, built.is_current
            ) is distinct from (
                truth.member_before_window, truth.added_at, truth.added_by_user_id, truth.removed_at,
                truth.removed_by_user_id, truth.removed_at is null
            )
        """,
    )
    # members there all along count every day of their team's window; nobody counts more
    assert not differences(
        db,
        """
        with windows as (
            select team_id, date_diff('day', min(occurred_at)::date, max(occurred_at)::date) + 1 as window_days
            from staging.stg_supervisely__activity
            group by all
        )
        select *
        from marts.team_membership
        inner join windows using (team_id)
        where (is_member_before_window and removed_at is null and days_as_member <> window_days)
            or days_as_member not between 1 and window_days
        """,
    )
    assert count(db, "select count(*) from truth_membership where removed_at is not null") > 0
    assert count(db, "select count(*) from truth_membership where not member_before_window") > 0


def personal_data(out: Path) -> dict[str, set[str]]:
    """Display names, IPs and e-mail addresses in the raw exports, as `hash_pii` normalises them."""
    bad = {
        (row["source_file"], row["source_row_number"])
        for row in pq.read_table(out / TRUTH_DIR / "bad_rows.parquet").to_pylist()
    }
    events, _ = read_events(out, bad)
    found: dict[str, set[str]] = {"name": set(), "ip": set(), "email": set()}
    for event in events:
        meta = event.get("meta") or {}
        assert isinstance(meta, dict)
        values = {
            "name": [event.get("user")],
            "ip": [meta.get("ip")],
            "email": [meta.get("newEmail"), meta.get("oldEmail")],
        }
        for kind, candidates in values.items():
            found[kind].update(str(v).strip().lower() for v in candidates if v not in (None, ""))
    return found


def salted(value: str) -> str:
    return hashlib.sha256((TEST_SALT + value).encode()).hexdigest()


def unsalted(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def test_no_mart_publishes_personal_data_in_clear(simulated: tuple[Path, Build], db: duckdb.DuckDBPyConnection) -> None:
    found = personal_data(simulated[0])
    assert all(found.values()), {kind: len(values) for kind, values in found.items()}
    clear = sorted(set().union(*found.values()))
    # clear values, and hashes anyone could recompute without the salt
    forbidden = clear + [unsalted(value) for value in clear]
    columns = db.execute(
        """
        select table_name, column_name
        from information_schema.columns
        where table_schema = 'marts' and data_type = 'VARCHAR'
        order by all
        """
    ).fetchall()
    assert {table for table, _ in columns} >= {"users", "security_events", "image_review_outcomes", "projects"}
    leaks = []
    for table, column in columns:
        rows = db.execute(
            f"""
            select distinct "{column}"
            from marts."{table}"
            where lower(trim("{column}")) in (select unnest(?::varchar[]))
                or regexp_matches("{column}", ?) or regexp_matches("{column}", ?)
                or exists (
                    select 1 from unnest(?::varchar[]) as personal(value) where contains(lower("{column}"), value)
                )
            limit 3
            """,
            [forbidden, IPV4, EMAIL, sorted(found["name"])],
        ).fetchall()
        leaks += [(table, column, row[0]) for row in rows]
    assert leaks == []

    # what is published instead: the salted hashes staging makes, and names only when asked for
    assert count(db, "select count(*) from marts.users where user_name is not null") == 0
    hashes = db.execute("select user_name_hash from marts.users where user_name_hash is not null").fetchall()
    assert hashes and {value for (value,) in hashes} <= {salted(name) for name in found["name"]}
    ip_hashes = db.execute("select distinct ip_hash from marts.security_events where ip_hash is not null").fetchall()
    assert ip_hashes and {value for (value,) in ip_hashes} <= {salted(ip) for ip in found["ip"]}
    email_hashes = db.execute(
        """
        select distinct unnest([old_email_hash, new_email_hash])
        from marts.security_events
        where action = 'email_changed'
        """
    ).fetchall()
    assert {value for (value,) in email_hashes} == {salted(email) for email in found["email"]}
