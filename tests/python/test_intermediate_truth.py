"""The intermediate layer on a simulated team reproduces the simulator's ground truth.

Sessions, labeling and login time, figure lifecycles, review histories and memberships are
compared row by row with what the simulator wrote down from its own clean events, although the
warehouse reads exports full of duplicates, late files, out-of-order rows and malformed rows.
Seconds are compared to the millisecond, the log's precision: both sides hold whole
milliseconds, but sums of doubles may differ in their last bits.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from labeling_analytics.simulator import TRUTH_DIR

from .conftest import Build

TRUTH_TABLES = ("user_daily", "sessions", "login_sessions", "figures", "images", "membership")


@pytest.fixture
def db(simulated: tuple[Path, Build]) -> duckdb.DuckDBPyConnection:
    out, build = simulated
    connection = build.connect()
    for name in TRUTH_TABLES:
        connection.execute(f"create temp view truth_{name} as select * from '{out / TRUTH_DIR / name}.parquet'")
    return connection


def differences(db: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The rows `sql` returns (differences between warehouse and truth), the first ten printed."""
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    shown = "\n".join(str(dict(zip(names, row, strict=True))) for row in rows[:10])
    return f"{len(rows)} differing rows, the first:\n{shown}" if rows else ""


def count(db: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = db.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_labeling_sessions_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        select *
        from intermediate.int_labeling_sessions as built
        full join truth_sessions as truth
            on built.team_id = truth.team_id
            and built.user_id = truth.user_id
            and built.session_started_at = truth.session_started_at
        where built.labeling_session_id is null or truth.user_id is null
            or built.session_ended_at <> truth.session_ended_at
            or built.events <> truth.events
            or built.visits_ended <> truth.visits
            or round(built.active_labeling_seconds * 1000) <> round(truth.active_labeling_seconds * 1000)
        """,
    )
    # The run exercises what the rules are about: breaks that split sessions, and visits left
    # open through a break.
    assert count(db, "select count(*) from truth_sessions") > 2 * count(db, "select count(*) from truth_login_sessions")
    assert count(db, "select count(*) from intermediate.int_item_visits where idle_seconds > 0") > 0


def test_labeling_time_per_member_and_day_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        with built as (
            select
                team_id, user_id, activity_date,
                sum(active_labeling_seconds) as active_labeling_seconds,
                sum(time_in_tool_seconds) as time_in_tool_seconds,
                sum(visits_ended) as visits
            from intermediate.int_labeling_session_days
            group by all
        )
        select *
        from built
        full join truth_user_daily as truth using (team_id, user_id, activity_date)
        where round(coalesce(built.active_labeling_seconds, 0) * 1000) <> round(truth.active_labeling_seconds * 1000)
            or round(coalesce(built.time_in_tool_seconds, 0) * 1000) <> round(truth.time_in_tool_seconds * 1000)
            or coalesce(built.visits, 0) <> truth.visits
            or truth.user_id is null
        """,
    )
    crossing = """
        select count(*) from (
            select labeling_session_id from intermediate.int_labeling_session_days group by 1 having count(*) > 1
        )
    """
    assert count(db, crossing) > 0, "no session crosses midnight: the day split is not exercised"


def test_login_sessions_and_login_time_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        select *
        from intermediate.int_login_sessions as built
        full join truth_login_sessions as truth
            on built.team_id = truth.team_id and built.user_id = truth.user_id and built.login_at = truth.login_at
        where built.login_session_id is null or truth.user_id is null
            or built.logout_at <> truth.logout_at
            or built.started_by <> truth.started_by
            or built.ended_by <> truth.ended_by
            or built.events <> truth.events
        """,
    )
    assert not differences(
        db,
        """
        with built as (
            select team_id, user_id, activity_date, sum(login_seconds) as login_seconds
            from intermediate.int_login_session_days
            group by all
        )
        select *
        from built
        full join truth_user_daily as truth using (team_id, user_id, activity_date)
        where round(coalesce(built.login_seconds, 0) * 1000) <> round(coalesce(truth.login_seconds, 0) * 1000)
            or (truth.user_id is null and built.login_seconds > 0)
        """,
    )
    assert count(db, "select count(*) from truth_login_sessions where ended_by = 'last_event'") > 0


def test_figure_lifecycles_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        with built as (
            select * from intermediate.int_entity_lifecycles where entity_kind = 'figure'
        )
        select *
        from built
        full join truth_figures as truth
            on built.team_id = truth.team_id and built.entity_id = truth.figure_id
        where built.entity_id is null or truth.figure_id is null
            or (
                built.project_id, built.dataset_id, built.image_id, built.class_id, built.job_id,
                built.created_by_user_id, built.created_at, built.figure_source, built.update_count,
                built.editor_count, built.last_updated_at, built.disable_count, built.restore_count,
                built.last_disabled_at, built.last_restored_at, built.current_state
            ) is distinct from (
                truth.project_id, truth.dataset_id, truth.image_id, truth.class_id, truth.job_id,
                truth.creator_user_id, truth.created_at, truth.figure_source, truth.update_count,
                truth.editor_count, truth.last_updated_at, truth.disabled_count, truth.restored_count,
                truth.last_disabled_at, truth.last_restored_at, truth.final_state
            )
        """,
    )
    assert count(db, "select count(*) from truth_figures where final_state = 'disabled'") > 0
    assert count(db, "select count(*) from truth_figures where restored_count > 0") > 0


def test_the_only_anomaly_of_a_simulated_team_is_history_before_the_export(db: duckdb.DuckDBPyConnection) -> None:
    """The simulator never produces an impossible sequence; it does start with a project made
    before the window, whose entities are seen without a create."""
    anomalies = db.execute(
        "select distinct anomaly from intermediate.int_entity_events where anomaly is not null"
    ).fetchall()
    assert anomalies == [("first_seen_without_create",)]
    assert count(db, "select count(*) from intermediate.int_entity_lifecycles where is_created_before_window") > 0
    assert not differences(
        db,
        """
        select * from intermediate.int_entity_lifecycles
        where has_event_before_create or has_restore_without_disable or has_disable_while_disabled
            or has_event_while_disabled or has_repeated_create
        """,
    )


def test_review_histories_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        with changes as (
            select * from intermediate.int_image_review_status_changes
        ),

        latest as (
            select
                team_id, image_id,
                max(status_seq) as last_seq,
                max(case when is_verdict then status_seq end) as last_verdict_seq,
                max(case when is_submission then status_seq end) as last_submission_seq,
                count(*) filter (where is_submission) as submissions,
                count(*) filter (where is_verdict) as review_rounds,
                count(*) filter (where sends_back_to_labeler) as rework_rounds,
                max(changed_at) as last_status_at
            from changes
            group by all
        ),

        built as (
            select
                latest.*,
                last_change.review_status as final_review_status,
                last_submission.changed_by_user_id as labeler_user_id,
                last_verdict.changed_by_user_id as reviewer_user_id
            from latest
            inner join changes as last_change
                on latest.team_id = last_change.team_id and latest.image_id = last_change.image_id
                and latest.last_seq = last_change.status_seq
            left join changes as last_submission
                on latest.team_id = last_submission.team_id and latest.image_id = last_submission.image_id
                and latest.last_submission_seq = last_submission.status_seq
            left join changes as last_verdict
                on latest.team_id = last_verdict.team_id and latest.image_id = last_verdict.image_id
                and latest.last_verdict_seq = last_verdict.status_seq
        ),

        opened as (
            select team_id, image_id, min(visit_started_at) as first_opened_at
            from intermediate.int_item_visits
            group by all
        )

        select *
        from truth_images as truth
        left join built using (team_id, image_id)
        left join opened using (team_id, image_id)
        where coalesce(built.submissions, 0) <> truth.submissions
            or coalesce(built.review_rounds, 0) <> truth.review_rounds
            or coalesce(built.rework_rounds, 0) <> truth.rework_rounds
            or built.final_review_status is distinct from truth.final_review_status
            or built.labeler_user_id is distinct from truth.labeler_user_id
            or built.reviewer_user_id is distinct from truth.reviewer_user_id
            or built.last_status_at is distinct from truth.last_status_at
            or opened.first_opened_at is distinct from truth.first_opened_at
        """,
    )
    # every item with a status change was opened in the window, so the truth lists it
    assert not differences(
        db,
        """
        select distinct team_id, image_id from intermediate.int_image_review_status_changes
        anti join truth_images using (team_id, image_id)
        """,
    )
    assert count(db, "select count(*) from truth_images where rework_rounds > 0") > 0


def test_memberships_match_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    assert not differences(
        db,
        """
        select *
        from intermediate.int_team_memberships as built
        full join truth_membership as truth
            on built.team_id = truth.team_id and built.member_user_id = truth.user_id
        where built.member_user_id is null
            or truth.user_id is null
            or built.is_member_before_window <> truth.member_before_window
            or built.added_at is distinct from truth.added_at
            or built.added_by_user_id is distinct from truth.added_by_user_id
            or built.removed_at is distinct from truth.removed_at
            or built.removed_by_user_id is distinct from truth.removed_by_user_id
        """,
    )
    assert count(db, "select count(*) from truth_membership where removed_at is not null") > 0


def test_intermediate_models_read_only_staging_seeds_and_each_other(simulated: tuple[Path, Build]) -> None:
    """The lineage is staging -> intermediate: no intermediate model reads a source or a mart."""
    manifest = json.loads((simulated[1].database.parent / "target" / "manifest.json").read_text())
    nodes = manifest["nodes"]
    intermediate = {
        key: node for key, node in nodes.items() if node["resource_type"] == "model" and node["name"].startswith("int_")
    }
    assert len(intermediate) >= 14
    for node in intermediate.values():
        for parent in node["depends_on"]["nodes"]:
            name = parent.split(".")[-1]
            kind = parent.split(".")[0]
            assert kind == "seed" or name.startswith(("stg_", "int_")), (node["name"], parent)
            assert node["fqn"][1] == "intermediate", node["fqn"]
