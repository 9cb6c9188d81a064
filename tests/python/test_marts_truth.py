"""End to end: the marts a team lead reads reproduce the simulator's ground truth, on two seeds.

A simulated team's exports (duplicates, late files, out-of-order and malformed rows included) are
built with `dbt build`, and every measure of `user_daily_activity`, `figure_lifecycle`, the
members tables (`member_performance`, `member_job_performance`) and `labeling_job_performance` is
compared, row for row, with what the simulator wrote down from its own clean events.

Rules of comparison: counts, ids, states and timestamps are equal exactly. Seconds are equal to
the millisecond, the log's precision: both sides hold whole milliseconds, but a sum of doubles can
differ in its last bits. Ratios (speed, time per object, acceptance rate) are computed by the test
from the truth's sums and equal the mart's to a relative 1e-9, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from labeling_analytics.simulator import TRUTH_DIR

from .conftest import Build
from .test_intermediate_truth import count, differences

TRUTH_TABLES = (
    "user_daily", "user_job_daily", "sessions", "login_sessions", "figures", "images", "events_by_action",
)  # fmt: skip
CATEGORIES = ("auth", "structure", "annotation", "tagging", "review", "model", "membership", "account")
RATIOS = ("labeling_speed_objects_per_hour", "seconds_per_object", "acceptance_rate", "seconds_per_review")


@pytest.fixture(params=["simulated", "simulated_second_seed"])
def db(request: pytest.FixtureRequest) -> Iterator[duckdb.DuckDBPyConnection]:
    out, build = request.getfixturevalue(request.param)
    assert isinstance(out, Path) and isinstance(build, Build)
    connection = build.connect()
    for name in TRUTH_TABLES:
        connection.execute(f"create temp view truth_{name} as select * from '{out / TRUTH_DIR / name}.parquet'")
    yield connection
    connection.close()


def mismatch(columns: dict[str, str], built: str = "built", truth: str = "truth") -> str:
    """A SQL condition true when any column differs: `columns` maps a column to its rule,
    `exact`, `seconds` (to the millisecond) or `ratio` (relative 1e-9, nulls equal)."""
    conditions = []
    for column, rule in columns.items():
        b, t = f"{built}.{column}", f"{truth}.{column}"
        if rule == "exact":
            conditions.append(f"{b} is distinct from {t}")
        elif rule == "seconds":
            conditions.append(f"round({b} * 1000) is distinct from round({t} * 1000)")
        elif rule == "ratio":
            conditions.append(f"(({b} is null) <> ({t} is null) or abs({b} - {t}) > 1e-9 * greatest(abs({t}), 1e-9))")
        else:
            raise ValueError(rule)
    return "\n or ".join(conditions)


def ratios_sql(prefix: str = "") -> str:
    """The members table's ratios computed from a truth CTE's sums, as the test's own SQL."""
    return f"""
        case when {prefix}labeling_seconds > 0
            then {prefix}objects_created * 3600 / {prefix}labeling_seconds end as labeling_speed_objects_per_hour,
        case when {prefix}objects_created > 0
            then {prefix}labeling_seconds / {prefix}objects_created end as seconds_per_object,
        case when {prefix}accepted_items + {prefix}rejected_items > 0
            then {prefix}accepted_items / ({prefix}accepted_items + {prefix}rejected_items) end as acceptance_rate,
        case when {prefix}reviews_performed > 0
            then {prefix}review_seconds / {prefix}reviews_performed end as seconds_per_review
    """


def test_user_daily_activity_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    truth_columns = [row[0] for row in db.execute("describe truth_user_daily").fetchall()]
    compared = {
        column: "seconds" if column.endswith("_seconds") else "exact"
        for column in truth_columns
        if column not in ("team_id", "user_id", "activity_date")
    }
    assert {"active_labeling_seconds", "review_seconds", "items_viewed_only", "accepted_as_labeler"} <= set(compared)
    compared |= {f"{category}_events": "exact" for category in CATEGORIES}
    compared |= {"labeling_sessions": "exact", "login_sessions": "exact", "labeling_session_seconds": "seconds"}
    category_columns = ", ".join(
        f"sum(case when catalog.category = '{c}' then events else 0 end) as {c}_events" for c in CATEGORIES
    )
    assert not differences(
        db,
        f"""
        with days as (
            select distinct activity_date as day from truth_user_daily
        ),

        by_category as (
            select team_id, user_id, activity_date, {category_columns}
            from truth_events_by_action
            inner join reference.activity_action_catalog as catalog using (action)
            group by all
        ),

        -- a session has time or actions on every day from its first instant's to its last's
        labeling as (
            select
                team_id, user_id, day as activity_date,
                count(*) as labeling_sessions,
                sum(epoch_ms(least(session_ended_at, day + interval 1 day))
                    - epoch_ms(greatest(session_started_at, day))) / 1000 as labeling_session_seconds
            from truth_sessions
            inner join days on day between cast(session_started_at as date) and cast(session_ended_at as date)
            group by all
        ),

        -- a login session ending at midnight sharp has nothing on the next day
        logins as (
            select team_id, user_id, day as activity_date, count(*) as login_sessions
            from truth_login_sessions
            inner join days
                on day between cast(login_at as date)
                and cast(greatest(login_at, logout_at - interval 1 millisecond) as date)
            group by all
        ),

        truth as (
            select
                truth_user_daily.*,
                {", ".join(f"coalesce(by_category.{c}_events, 0) as {c}_events" for c in CATEGORIES)},
                coalesce(labeling.labeling_sessions, 0) as labeling_sessions,
                coalesce(labeling.labeling_session_seconds, 0) as labeling_session_seconds,
                coalesce(logins.login_sessions, 0) as login_sessions
            from truth_user_daily
            left join by_category using (team_id, user_id, activity_date)
            left join labeling using (team_id, user_id, activity_date)
            left join logins using (team_id, user_id, activity_date)
        )

        select *
        from marts.user_daily_activity as built
        full join truth using (team_id, user_id, activity_date)
        where built.user_id is null or truth.user_id is null
            or {mismatch(compared)}
        """,
    )
    # the comparison covers what the measures are about
    for condition in (
        "accepted_as_labeler > 0",
        "rejected_as_labeler > 0",
        "review_seconds > 0",
        "items_viewed_only > 0",
        "login_seconds > 0",
        "labeling_sessions > 1",
        "events = 0",  # a day with time carried over midnight, or only a verdict on their item
    ):
        assert count(db, f"select count(*) from marts.user_daily_activity where {condition}") > 0, condition


def test_figure_lifecycle_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    compared = {
        column: "exact"
        for column in (
            "project_id", "dataset_id", "image_id", "class_id", "job_id", "created_by_user_id", "figure_source",
            "final_state", "image_review_status", "is_image_accepted", "update_count", "editor_count",
            "disable_count", "restore_count", "created_at", "last_updated_at", "last_disabled_at",
            "last_restored_at",
        )
    } | {"lifetime_seconds": "seconds"}  # fmt: skip
    assert not differences(
        db,
        f"""
        with log_ends as (
            select team_id, max(last_event_at) as log_ended_at from truth_user_daily group by all
        ),

        truth as (
            select
                figures.* rename (
                    creator_user_id as created_by_user_id, disabled_count as disable_count,
                    restored_count as restore_count, image_accepted as is_image_accepted
                ),
                (epoch_ms(case when final_state = 'disabled' then last_disabled_at else log_ended_at end)
                    - epoch_ms(created_at)) / 1000 as lifetime_seconds
            from truth_figures as figures
            inner join log_ends using (team_id)
        )

        select *
        from marts.figure_lifecycle as built
        full join truth using (team_id, figure_id)
        where built.figure_id is null or truth.figure_id is null
            or {mismatch(compared)}
        """,
    )
    assert count(db, "select count(distinct figure_source) from marts.figure_lifecycle") >= 2
    assert count(db, "select count(*) from marts.figure_lifecycle where final_state = 'disabled'") > 0
    assert count(db, "select count(*) from marts.figure_lifecycle where is_image_accepted") > 0
    # every flag of an impossible sequence is false for a simulated team
    assert not differences(
        db,
        """
        select * from marts.figure_lifecycle
        where has_event_before_create or has_restore_without_disable or has_disable_while_disabled
            or has_event_while_disabled or has_repeated_create
        """,
    )


MEMBER_SUMS = """
    sum(figures_created) as objects_created,
    sum(tags_attached) as tags_created,
    sum(items_submitted) as items_submitted,
    sum(accepted_as_labeler) as accepted_items,
    sum(rejected_as_labeler) as rejected_items,
    sum(reviews_performed) as reviews_performed,
    sum(review_seconds) as review_seconds,
    sum(active_labeling_seconds) as labeling_seconds
"""
MEMBER_COLUMNS = {
    "objects_created": "exact",
    "tags_created": "exact",
    "items_submitted": "exact",
    "accepted_items": "exact",
    "rejected_items": "exact",
    "reviews_performed": "exact",
    "review_seconds": "seconds",
    "labeling_seconds": "seconds",
} | dict.fromkeys(RATIOS, "ratio")


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_member_performance_matches_the_truth(db: duckdb.DuckDBPyConnection, period: str) -> None:
    compared = MEMBER_COLUMNS | {
        "active_days": "exact",
        "time_in_tool_seconds": "seconds",
        "login_seconds": "seconds",
        "first_event_at": "exact",
        "last_event_at": "exact",
    }
    assert not differences(
        db,
        f"""
        with sums as (
            select
                team_id, user_id,
                cast(date_trunc('{period}', activity_date) as date) as period_start,
                count(*) filter (where events > 0) as active_days,
                {MEMBER_SUMS},
                sum(time_in_tool_seconds) as time_in_tool_seconds,
                sum(login_seconds) as login_seconds,
                min(first_event_at) as first_event_at,
                max(last_event_at) as last_event_at
            from truth_user_daily
            group by all
        ),

        truth as (
            select *, {ratios_sql()} from sums
        ),

        built as (
            select * from marts.member_performance where period = '{period}'
        )

        select *
        from built
        full join truth using (team_id, user_id, period_start)
        where built.user_id is null or truth.user_id is null
            or {mismatch(compared)}
        """,
    )
    assert count(db, f"select count(*) from marts.member_performance where period = '{period}'") > 0


def test_member_job_performance_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    compared = MEMBER_COLUMNS | {"active_days": "exact", "events": "exact", "visits": "exact"}
    assert not differences(
        db,
        f"""
        with sums as (
            select
                team_id, user_id, job_id,
                count(*) filter (where events > 0) as active_days,
                sum(events) as events,
                sum(visits) as visits,
                {MEMBER_SUMS}
            from truth_user_job_daily
            group by all
        ),

        truth as (
            select *, {ratios_sql()} from sums
        )

        select *
        from marts.member_job_performance as built
        full join truth using (team_id, user_id, job_id)
        where built.user_id is null or truth.user_id is null
            or {mismatch(compared)}
        """,
    )
    # members who work in several jobs: the per-job view is not the per-member one
    several = "select count(*) from (select user_id from marts.member_job_performance group by all having count(*) > 1)"
    assert count(db, several) > 0


def test_labeling_job_performance_matches_the_truth(db: duckdb.DuckDBPyConnection) -> None:
    compared = dict.fromkeys(
        (
            "members", "labelers", "reviewers", "events", "visits", "objects_created", "tags_created",
            "items_submitted", "reviews_performed", "accepted_items", "rejected_items", "reviewed_items",
            "items_opened", "items_with_status", "items_accepted_now",
        ),
        "exact",
    ) | {"labeling_seconds": "seconds", "review_seconds": "seconds"} | dict.fromkeys(RATIOS, "ratio")  # fmt: skip
    assert not differences(
        db,
        f"""
        with sums as (
            select
                team_id, job_id,
                count(distinct user_id) as members,
                count(distinct user_id) filter (where items_submitted > 0) as labelers,
                count(distinct user_id) filter (where reviews_performed > 0) as reviewers,
                sum(events) as events,
                sum(visits) as visits,
                sum(figures_created) as objects_created,
                sum(tags_attached) as tags_created,
                sum(items_submitted) as items_submitted,
                sum(reviews_performed) as reviews_performed,
                sum(accepted_as_reviewer) as accepted_items,
                sum(rejected_as_reviewer) as rejected_items,
                sum(accepted_as_reviewer + rejected_as_reviewer) as reviewed_items,
                sum(active_labeling_seconds) as labeling_seconds,
                sum(review_seconds) as review_seconds
            from truth_user_job_daily
            group by all
        ),

        items as (
            select
                team_id, job_id,
                count(*) filter (where first_opened_at is not null) as items_opened,
                count(*) filter (where final_review_status is not null) as items_with_status,
                count(*) filter (where final_review_status in ('accepted', 'quality_check_accepted'))
                    as items_accepted_now
            from truth_images
            group by all
        ),

        truth as (
            select sums.*, {ratios_sql("sums.")}, items.* exclude (team_id, job_id)
            from sums
            left join items using (team_id, job_id)
        )

        select *
        from marts.labeling_job_performance as built
        full join truth using (team_id, job_id)
        where built.job_id is null or truth.job_id is null
            or {mismatch(compared)}
        """,
    )


def test_a_members_days_add_up_to_their_weeks_months_and_jobs(db: duckdb.DuckDBPyConnection) -> None:
    """Row counts add up across the marts: no day lost or counted twice between views."""
    assert not differences(
        db,
        """
        with by_period as (
            select team_id, user_id, period, sum(objects_created) as objects, sum(labeling_seconds) as seconds
            from marts.member_performance
            group by all
        ),

        by_job as (
            select team_id, user_id, sum(objects_created) as job_objects
            from marts.member_job_performance
            group by all
        ),

        by_day as (
            select team_id, user_id, sum(figures_created) as objects, sum(active_labeling_seconds) as seconds
            from marts.user_daily_activity
            group by all
        )

        select *
        from by_period
        inner join by_day using (team_id, user_id)
        left join by_job using (team_id, user_id)
        where by_period.objects <> by_day.objects
            or round(by_period.seconds * 1000) <> round(by_day.seconds * 1000)
            or coalesce(by_job.job_objects, 0) <> by_day.objects
        """,
    )
