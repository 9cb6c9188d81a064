"""Members' own days: with `member_time_zones` set, daily rows run from local midnight to local
midnight, across a daylight-saving change, and no event or second is lost or counted twice."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from labeling_analytics.simulator import TRUTH_DIR, SimulationConfig, simulate

from .conftest import Build, build_warehouse

# Member 10002 lives through the United States' change to summer time (10 March 2024, a 23-hour
# day), 10003 is half an hour off the hour, 10005 eleven hours behind UTC; everyone else takes the
# default zone, fourteen hours ahead: local midnights fall in the middle of simulated work days.
ZONES = {10002: "America/New_York", 10003: "Asia/Kolkata", 10005: "Pacific/Pago_Pago"}
DEFAULT_ZONE = "Pacific/Kiritimati"
ADDITIVE = (
    "events", "figures_created", "tags_attached", "visits", "items_submitted", "reviews_performed",
    "accepted_as_labeler", "rejected_as_labeler", "active_labeling_seconds", "time_in_tool_seconds",
    "login_seconds", "review_seconds",
)  # fmt: skip


@pytest.fixture(scope="module")
def zoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    root = tmp_path_factory.mktemp("time-zones")
    out = root / "exports"
    simulate(SimulationConfig(users=6, days=4, start=date(2024, 3, 8), seed=3), out, progress=False)
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


def zone_of(user_id: int) -> ZoneInfo:
    return ZoneInfo(ZONES.get(user_id, DEFAULT_ZONE))


def local_date(user_id: int, instant: datetime) -> date:
    return instant.replace(tzinfo=UTC).astimezone(zone_of(user_id)).date()


def local_parts(user_id: int, start_us: int, end_us: int) -> Iterator[tuple[date, int]]:
    """[start, end) cut at the member's local midnights, in plain Python: (local date, microseconds)."""
    zone = zone_of(user_id)
    t = start_us
    while t < end_us:
        day = datetime.fromtimestamp(t / 1e6, UTC).astimezone(zone).date()
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        boundary = round(midnight.timestamp() * 1e6)
        yield day, min(end_us, boundary) - t
        t = min(end_us, boundary)


def test_every_daily_measure_follows_the_members_day(db: duckdb.DuckDBPyConnection) -> None:
    """Counts, items and time per local day, recomputed in Python from the facts below the mart
    (visits, status changes, the labeling timeline, login sessions) with the tz database."""
    expected: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    for user_id, image_id, has_figure, ended_at in db.execute(
        "select user_id, image_id, has_figure_id, visit_ended_at from intermediate.int_item_visits"
    ).fetchall():
        expected[(user_id, local_date(user_id, ended_at))][f"opened {image_id}"] = 1
        if has_figure:
            expected[(user_id, local_date(user_id, ended_at))][f"edited {image_id}"] = 1
    for actor, labeler, is_submission, is_verdict, is_acceptance, changed_at in db.execute(
        """select changed_by_user_id, labeler_user_id, is_submission, is_verdict, is_acceptance, changed_at
        from intermediate.int_image_review_status_changes"""
    ).fetchall():
        expected[(actor, local_date(actor, changed_at))]["items_submitted"] += int(is_submission)
        expected[(actor, local_date(actor, changed_at))]["reviews_performed"] += int(is_verdict)
        if is_verdict and labeler is not None:
            key = "accepted_as_labeler" if is_acceptance else "rejected_as_labeler"
            expected[(labeler, local_date(labeler, changed_at))][key] += 1
    for user_id, point_us, piece_us, is_active in db.execute(
        """select user_id, point_us, piece_us, piece_is_active
        from intermediate.int_labeling_timeline where piece_has_item_open"""
    ).fetchall():
        for day, part in local_parts(user_id, point_us, point_us + (piece_us or 0)):
            expected[(user_id, day)]["time_in_tool_us"] += part
            expected[(user_id, day)]["active_us"] += part if is_active else 0
    for user_id, login_us, logout_us in db.execute(
        "select user_id, epoch_us(login_at), epoch_us(logout_at) from intermediate.int_login_sessions"
    ).fetchall():
        for day, part in local_parts(user_id, login_us, logout_us):
            expected[(user_id, day)]["login_us"] += part

    built = db.execute(
        """select user_id, activity_date, items_opened, items_edited, items_submitted, reviews_performed,
            accepted_as_labeler, rejected_as_labeler, active_labeling_seconds, time_in_tool_seconds, login_seconds
        from marts.user_daily_activity"""
    ).fetchall()
    differences = []
    for user_id, day, opened, edited, submitted, reviews, accepted, rejected, active, tool, login in built:
        want = expected.pop((user_id, day), Counter())
        got = {
            "items_opened": opened, "items_edited": edited, "items_submitted": submitted,
            "reviews_performed": reviews, "accepted_as_labeler": accepted, "rejected_as_labeler": rejected,
            "active_ms": round(active * 1000), "time_in_tool_ms": round(tool * 1000), "login_ms": round(login * 1000),
        }  # fmt: skip
        wanted = {
            "items_opened": sum(1 for k in want if k.startswith("opened ")),
            "items_edited": sum(1 for k in want if k.startswith("edited ")),
            **{
                k: want[k]
                for k in ("items_submitted", "reviews_performed", "accepted_as_labeler", "rejected_as_labeler")
            },
            "active_ms": round(want["active_us"] / 1000),
            "time_in_tool_ms": round(want["time_in_tool_us"] / 1000),
            "login_ms": round(want["login_us"] / 1000),
        }
        if got != wanted:
            differences.append((user_id, day, got, wanted))
    assert differences == [], differences[:5]
    assert [key for key, counts in expected.items() if any(counts.values())] == []
    zoned_active = {user_id for user_id, _, *_rest, active, _tool, _login in built if active and user_id in ZONES}
    assert zoned_active, "no member with a configured zone did labeling work"
