"""Members' own days: with `member_time_zones` set, daily rows run from local midnight to local
midnight, across a daylight-saving change, and no event or second is lost or counted twice."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from labeling_analytics.simulator import TRUTH_DIR, SimulationConfig, simulate

from .conftest import Build, build_warehouse

# Member 10002 lives through the United States' change to summer time (10 March 2024, a 23-hour
# day), 10003 is half an hour off the hour, everyone else takes the default zone.
ZONES = {10002: "America/New_York", 10003: "Asia/Kolkata"}
DEFAULT_ZONE = "Europe/Berlin"
ADDITIVE = (
    "events", "figures_created", "tags_attached", "visits", "items_submitted", "reviews_performed",
    "accepted_as_labeler", "rejected_as_labeler", "active_labeling_seconds", "time_in_tool_seconds",
    "login_seconds", "review_seconds",
)  # fmt: skip


@pytest.fixture(scope="module")
def zoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    root = tmp_path_factory.mktemp("time-zones")
    out = root / "exports"
    simulate(SimulationConfig(users=5, days=4, start=date(2024, 3, 8), seed=3), out, progress=False)
    variables = {"member_time_zones": {str(k): v for k, v in ZONES.items()}, "default_time_zone": DEFAULT_ZONE}
    build = build_warehouse(out, root / "dbt", ["--vars", json.dumps(variables)])
    assert build.result.returncode == 0, build.result.stdout[-4000:]
    return out, build


@pytest.fixture
def db(zoned: tuple[Path, Build]) -> duckdb.DuckDBPyConnection:
    out, build = zoned
    connection = build.connect()
    connection.execute(f"create temp view truth_user_daily as select * from '{out / TRUTH_DIR}/user_daily.parquet'")
    return connection


def test_events_count_on_the_members_local_day(db: duckdb.DuckDBPyConnection) -> None:
    expected: Counter[tuple[int, date]] = Counter()
    events = db.execute("select user_id, occurred_at from staging.stg_supervisely__activity").fetchall()
    for user_id, occurred_at in events:
        zone = ZoneInfo(ZONES.get(user_id, DEFAULT_ZONE))
        expected[(user_id, occurred_at.replace(tzinfo=UTC).astimezone(zone).date())] += 1
    built = db.execute(
        "select user_id, activity_date, events, time_zone from marts.user_daily_activity where events > 0"
    ).fetchall()
    assert {(user_id, day): events for user_id, day, events, _ in built} == dict(expected)
    assert {(user_id, zone) for user_id, _, _, zone in built} == {
        (user_id, ZONES.get(user_id, DEFAULT_ZONE)) for user_id, _ in expected
    }


def test_local_days_only_move_time_between_days(db: duckdb.DuckDBPyConnection) -> None:
    """Per member, the whole window adds up to the simulator's UTC truth, to the millisecond."""
    sums = ", ".join(f"round(sum({column}) * 1000) as {column}" for column in ADDITIVE)
    built = db.execute(f"select user_id, {sums} from marts.user_daily_activity group by all order by all").fetchall()
    truth = db.execute(f"select user_id, {sums} from truth_user_daily group by all order by all").fetchall()
    assert built == truth
    # ... while the days themselves differ from UTC days: the split is exercised
    moved = db.execute(
        """
        select count(*) from marts.user_daily_activity as built
        full join truth_user_daily as truth using (team_id, user_id, activity_date)
        where round(built.active_labeling_seconds * 1000) is distinct from round(truth.active_labeling_seconds * 1000)
        """
    ).fetchone()
    assert moved is not None and moved[0] > 0
