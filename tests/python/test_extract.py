"""`labeling-analytics extract` against a real local HTTP server that answers like the platform.

The server serves a simulated team's events newest first, in pages, with a clock (events become
visible at their date, some hours later when delivered late, and the clock moves while a client
pages) and queued faults. Whatever happens, the events in the extractor's files must end up equal
to the served ones: none lost, none written twice.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labeling_analytics.cli import main
from labeling_analytics.extract import files as extract_files
from labeling_analytics.extract.files import PREFIX, SUFFIX, day_of, fingerprint
from labeling_analytics.extract.server import TRANSIENT_FAULTS, ActivityLog, ActivityServer, epoch_ms, load_exports
from labeling_analytics.extract.state import STATE_FILE, team_lock
from labeling_analytics.extract.window import api_time, parse_instant
from labeling_analytics.simulator import NoiseRates, SimulationConfig, simulate

from .conftest import PROJECT_ROOT, build_warehouse, project_copy
from .engines import free_port

TOKEN = "test-token-42"
TEAM = 1
HOUR_MS = 3_600_000


@pytest.fixture(scope="session")
def team_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """A clean simulated team (4 members, 3 days): its distinct records as the platform holds them."""
    out = tmp_path_factory.mktemp("extract-sim") / "exports"
    config = SimulationConfig(teams=1, users=4, days=3, seed=3, format="jsonl", noise=NoiseRates(0, 0, 0, 0))
    simulate(config, out, progress=False)
    log = ActivityLog(TOKEN)
    report = load_exports(log, out)
    assert report.skipped == 0 and report.repeats == 0 and report.events > 3000
    return log.served(TEAM)


def new_log(
    records: list[dict[str, Any]], late_share: float = 0.0, max_late_hours: float = 0, seed: int = 0
) -> ActivityLog:
    """A log whose events become visible at their date, or up to `max_late_hours` later for `late_share` of them."""
    rng = random.Random(seed)
    log = ActivityLog(TOKEN)

    def delay(_: int) -> int:
        return int(rng.random() * max_late_hours * HOUR_MS) if rng.random() < late_share else 0

    log.add(TEAM, records, delay)
    return log


@contextmanager
def serving(log: ActivityLog) -> Iterator[str]:
    with ActivityServer(log) as server:
        yield server.address


def extract(address: str, out: Path, *options: str, token: str = TOKEN) -> int:
    """The command, in process, with instant retries."""
    argv = ["extract", "--server-address", address, "--team-id", str(TEAM), "--out", str(out), "--quiet"]
    with mock.patch.dict(os.environ, {"API_TOKEN": token}):
        return main([*argv, "--max-wait", "0", *options])


def extracted(out: Path) -> list[dict[str, Any]]:
    """Every record in the extractor's final files of the team (repeats kept)."""
    records = []
    for path in sorted((out / f"team_id={TEAM}").glob(f"*/{PREFIX}*{SUFFIX}")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle)
    return records


def assert_extracted_equals_served(out: Path, served: list[dict[str, Any]]) -> None:
    records = extracted(out)
    keys = Counter(fingerprint(record) for record in records)
    assert max(keys.values(), default=1) == 1, "an event was written twice"
    assert set(keys) == {fingerprint(record) for record in served}, (
        f"{len(set(keys) - {fingerprint(r) for r in served})} extra, "
        f"{len({fingerprint(r) for r in served} - set(keys))} missing"
    )
    leftovers = [p for p in out.rglob(".*") if p.is_file() and p.name not in (STATE_FILE, ".extract.lock")]
    assert leftovers == []


def state(out: Path) -> dict[str, Any]:
    return json.loads((out / f"team_id={TEAM}" / STATE_FILE).read_text())


def bounds(records: list[dict[str, Any]]) -> tuple[int, int]:
    dates = [epoch_ms(r["date"]) for r in records]
    return min(dates), max(dates)


def at(ms: int) -> str:
    return api_time(datetime.fromtimestamp(ms / 1000, tz=timezone.utc))


# --- the server itself --------------------------------------------------------------------------------------------


def test_the_server_pages_newest_first_with_the_platforms_fields(team_records: list[dict[str, Any]]) -> None:
    with serving(new_log(team_records)) as address:
        url = f"{address}/public/api/v3/teams.activity"
        body = {"teamId": TEAM, "filter": [], "page": 2, "per_page": 1000}
        page = httpx.post(url, json=body, headers={"x-api-key": TOKEN}).json()
        refused = httpx.post(url, json=body, headers={"x-api-key": "wrong"})
    assert set(page) == {"total", "perPage", "pagesCount", "entities"}
    assert page["total"] == len(team_records) and page["perPage"] == 1000
    assert page["pagesCount"] == -(-len(team_records) // 1000) and len(page["entities"]) == 1000
    dates = [epoch_ms(r["date"]) for r in page["entities"]]
    assert dates == sorted(dates, reverse=True) and dates[0] < max(epoch_ms(r["date"]) for r in team_records)
    assert refused.status_code == 401


# --- one run --------------------------------------------------------------------------------------------------------


def test_a_first_run_writes_each_event_once_into_the_file_of_its_day(
    team_records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = new_log(team_records)
    before = datetime.now(timezone.utc)
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "700", "--until", "2030-01-01") == 0
    assert_extracted_equals_served(tmp_path, team_records)
    for path in (tmp_path / f"team_id={TEAM}").glob(f"*/{PREFIX}*"):
        with gzip.open(path, "rt") as handle:
            assert {day_of(json.loads(line)) for line in handle} == {path.parent.name}
    # A future --until is asked for, but the mark stops at the server's clock (now): the next run must
    # not skip what the platform writes until 2030.
    assert before - timedelta(seconds=2) <= parse_instant(state(tmp_path)["mark"]) <= datetime.now(timezone.utc)
    assert log.bodies[0]["filter"] == [{"field": "date", "operator": "<=", "value": "2030-01-01T00:00:00.000Z"}]
    assert {body["page"] for body in log.bodies} == set(range(1, -(-len(team_records) // 700) + 1))
    captured = capsys.readouterr()
    assert f"{len(team_records):,} new" in captured.out and "0 retries" in captured.out
    assert "ahead of the server's clock" in captured.err


def test_transient_faults_are_retried_and_lose_nothing(
    team_records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = new_log(team_records)
    faults = ["ok", "429", "500", "truncated", "ok", "cut", "drop", "503", "408", "ok", "502", "520", "badgzip"]
    log.faults.extend(faults)
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "1000") == 0
    assert log.faults_served == faults
    assert_extracted_equals_served(tmp_path, team_records)
    captured = capsys.readouterr()
    assert "10 retries" in captured.out
    assert "retrying in" in captured.err and "DecodingError" in captured.err


@pytest.mark.parametrize(
    ("faults", "option", "message"),
    [
        (["401"], (), "refused the token (HTTP 401): set API_TOKEN"),
        (["403"], (), "refused the token (HTTP 403): set API_TOKEN"),
        ([], ("--token", "a-wrong-token"), "refused the token (HTTP 401): set API_TOKEN"),
        ([], ("--path", "/wrong"), "was not found (HTTP 404): is --server-address"),
        ([], ("--path", "/other"), "give --since to start there"),
        (["malformed"], (), "malformed response"),
        (["html"], (), "answered with text/html, not JSON"),
        (["truncated"] * 3, (), "not valid JSON"),
        (["500", "520", "503"], (), "gave up on page 3 after 3 attempts: HTTP 503"),
        ([], ("--short",), "the server said"),
    ],
    ids=["401", "403", "wrong-token", "404", "other-server", "malformed", "html", "truncated-thrice", "5xx", "short"],
)
def test_a_failure_retrying_cannot_mend_exits_non_zero_and_leaves_files_and_mark_as_they_were(
    team_records: list[dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: list[str],
    option: tuple[str, ...],
    message: str,
) -> None:
    first, last = bounds(team_records)
    middle = first + (last - first) // 2
    log = new_log(team_records)
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "1000", "--until", at(middle)) == 0
        before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.name != ".extract.lock")
        mark = state(tmp_path)
        # The fault comes on the third page: two pages of new events are spooled by then.
        log.faults.extend(["ok", "ok", *faults])
        log.short_pages = "--short" in option
        token = option[1] if option[:1] == ("--token",) else TOKEN
        url = address + (option[1] if option[:1] == ("--path",) else "")
        since = ("--since", at(middle)) if option[1:] == ("/wrong",) else ()  # past the other-server check
        status = extract(
            url, tmp_path, "--attempts", "3", "--until", at(last), "--per-page", "1000", *since, token=token
        )
    assert status == 1
    assert message in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.name != ".extract.lock") == before
    assert state(tmp_path) == mark


def test_missing_settings_and_bad_windows_give_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["extract", "--team-id", "1", "--out", str(tmp_path)]
    with mock.patch.dict(os.environ, {"API_TOKEN": "", "SERVER_ADDRESS": ""}):
        assert main([*base, "--server-address", "http://127.0.0.1:9"]) == 2
        assert "set API_TOKEN" in capsys.readouterr().err
        os.environ["API_TOKEN"] = "x"
        assert main(base) == 2
        assert "give --server-address or set SERVER_ADDRESS" in capsys.readouterr().err
        os.environ["SERVER_ADDRESS"] = "http://127.0.0.1:9"
        assert main([*base, "--since", "2024-05-02", "--until", "2024-05-01"]) == 2
        assert "is after --until" in capsys.readouterr().err
        with pytest.raises(SystemExit):
            main([*base, "--overlap", "a week"])
        assert "not a duration" in capsys.readouterr().err


def test_a_second_run_of_a_team_waits_for_none_and_is_refused(
    team_records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(new_log(team_records)) as address, team_lock(tmp_path / f"team_id={TEAM}"):
        assert extract(address, tmp_path) == 1
    assert "another extract of this team is running" in capsys.readouterr().err
    assert extracted(tmp_path) == []


def test_a_record_without_a_readable_date_is_kept_for_the_quarantine(tmp_path: Path) -> None:
    files = extract_files.DayFiles(tmp_path, "20240101T000000000000Z")
    good = {"userId": 1, "action": "login", "date": "2024-05-06T10:00:00.000Z"}
    keys, oldest = files.add([good, {"userId": 1, "action": "login", "date": "yesterday"}, {"action": "x"}, good])
    assert oldest == parse_instant(good["date"])
    assert keys[0] == keys[3] and len(set(keys)) == 3
    assert (files.received, files.known, files.repeated, files.new) == (4, 0, 1, 3)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in files.commit())
    assert written == [
        f"2024-05-06/{PREFIX}20240101T000000000000Z{SUFFIX}",
        f"undated/{PREFIX}20240101T000000000000Z{SUFFIX}",
    ]
    assert files.new_committed == 3 and not list(tmp_path.rglob(".*"))


# --- incremental runs -----------------------------------------------------------------------------------------------


def test_the_next_run_asks_from_the_mark_minus_the_overlap_and_writes_only_new_events(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    first, last = bounds(team_records)
    middle = first + (last - first) // 2
    log = new_log(team_records)
    log.clock_ms = middle
    with serving(log) as address:
        assert extract(address, tmp_path, "--until", at(middle), "--per-page", "500") == 0
        assert_extracted_equals_served(tmp_path, log.served(TEAM))
        first_run_files = set((tmp_path / f"team_id={TEAM}").glob(f"*/{PREFIX}*"))
        first_run_events = len(extracted(tmp_path))
        log.clock_ms, log.bodies = last, []
        assert extract(address, tmp_path, "--until", at(last), "--overlap", "6h", "--per-page", "500") == 0
    assert log.bodies[0]["filter"] == [
        {"field": "date", "operator": ">=", "value": at(middle - 6 * HOUR_MS)},
        {"field": "date", "operator": "<=", "value": at(last)},
    ]
    assert_extracted_equals_served(tmp_path, team_records)
    assert first_run_files < set((tmp_path / f"team_id={TEAM}").glob(f"*/{PREFIX}*"))
    last_run = state(tmp_path)["last_run"]
    assert last_run["known"] > 0, "the overlap asked again for events of the first run"
    assert last_run["received"] == last_run["new"] + last_run["known"]
    assert last_run["new"] == len(team_records) - first_run_events


def test_an_event_asked_for_again_after_a_rename_is_not_written_again(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """Display names change (a project renamed, an e-mail changed): ids, instant and meta make the event."""
    log = new_log([{**r, "meta": {**r["meta"]}} for r in team_records])
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "2000") == 0
        for record in log.teams[TEAM].records:
            if record.get("project"):
                record["project"] = f"{record['project']} (renamed)"
            if "ip" in record["meta"]:
                record["meta"]["ip"] = "10.9.9.9"
            if isinstance(record.get("figureId"), int):
                record["figureId"] = float(record["figureId"])  # 4720.0, as pandas writes it
        assert extract(address, tmp_path, "--since", "2000-01-01") == 0
    assert state(tmp_path)["last_run"]["new"] == 0
    assert len(extracted(tmp_path)) == len(team_records)


def test_events_of_one_instant_in_another_order_on_each_page_are_all_fetched(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The platform does not promise a stable order: offset paging over ties can skip an event."""
    distinct = list({fingerprint({**r, "date": None}): r for r in team_records}.values())[:32]
    instants = [f"2024-05-06T{hour:02d}:00:00.000Z" for hour in (8, 9, 10, 11)]
    records = [{**r, "date": instants[i % 4]} for i, r in enumerate(distinct)]
    log = new_log(records)
    log.shuffle_ties = True
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "10", "--until", "2024-05-07") == 0
    assert_extracted_equals_served(tmp_path, records)
    run = state(tmp_path)["last_run"]
    assert run["passes"] > 1 and run["splits"] >= 1


def test_a_record_the_log_holds_twice_does_not_make_paging_fail(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """Two equal records on one page are two rows of the log: the pass adds up without them."""
    records = team_records[:400]
    twice = records + [dict(records[i]) for i in range(0, 400, 37)]
    log = new_log(twice)
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "60", "--until", "2030-01-01") == 0
    assert_extracted_equals_served(tmp_path, records)
    run = state(tmp_path)["last_run"]
    assert run["received"] == len(twice) and run["new"] == len(records)
    assert run["splits"] <= 2, "a duplicate on a page boundary may cost a split, no more"


def test_a_single_page_short_once_is_asked_again(team_records: list[dict[str, Any]], tmp_path: Path) -> None:
    log = new_log(team_records[:50])
    log.faults.append("short")
    with serving(log) as address:
        assert extract(address, tmp_path, "--per-page", "100", "--until", "2030-01-01") == 0
    assert_extracted_equals_served(tmp_path, team_records[:50])
    assert state(tmp_path)["last_run"]["passes"] == 2


def test_halves_cover_a_window_in_whole_milliseconds_without_overlap() -> None:
    from labeling_analytics.extract.run import _Window

    def covered(windows: list[tuple[datetime | None, datetime]]) -> list[tuple[int, int]]:
        low = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)
        return [((int(a.timestamp() * 1000) if a else low), int(b.timestamp() * 1000)) for a, b in windows]

    since, until = parse_instant("2024-05-06T10:00:00.001Z"), parse_instant("2024-05-06T10:00:00.002Z")
    assert covered(_Window._halves(since, until, None) or []) == [(epoch_ms(at_text), epoch_ms(at_text)) for at_text in
        ("2024-05-06T10:00:00.001Z", "2024-05-06T10:00:00.002Z")]  # fmt: skip
    assert _Window._halves(since, since, None) is None
    for since_text, until_text, oldest in [
        ("2024-05-06T10:00:00.000Z", "2024-05-08T03:17:45.123Z", None),
        (None, "2024-05-08T00:00:00.000Z", "2024-05-07T12:00:00.007Z"),
    ]:
        windows = _Window._halves(since_text and parse_instant(since_text), parse_instant(until_text),
                                  oldest and parse_instant(oldest))  # fmt: skip
        assert windows is not None
        spans = covered(windows)
        assert all(a <= b for a, b in spans) and all(b + 1 == c for (_, b), (c, _) in itertools.pairwise(spans))
        assert spans[-1][1] == epoch_ms(until_text)
        assert all(w[1].microsecond % 1000 == 0 for w in windows)


def test_events_written_while_paging_are_paged_again(team_records: list[dict[str, Any]], tmp_path: Path) -> None:
    """Late events with dates inside the window appear between pages and shift them (newest first)."""
    _, last = bounds(team_records)
    log = new_log(team_records, late_share=0.3, max_late_hours=12, seed=3)
    log.clock_ms, log.step_ms = last, HOUR_MS  # each page served moves the clock an hour
    with serving(log) as address:
        assert extract(address, tmp_path, "--until", at(last), "--per-page", "400", "--max-passes", "20") == 0
        assert state(tmp_path)["last_run"]["passes"] > 1
        assert_extracted_equals_served(tmp_path, log.served(TEAM))
        log.step_ms = 0
        log.clock_ms = last + 24 * HOUR_MS  # every late event has arrived
        assert extract(address, tmp_path, "--until", at(last + 24 * HOUR_MS), "--overlap", "13h") == 0
    assert_extracted_equals_served(tmp_path, team_records)


# --- any sequence of runs, faults and crashes -----------------------------------------------------------------------


class SimulatedCrash(BaseException):
    """The process dies here: no except clause of the extractor runs, nothing is cleaned up."""


@contextmanager
def crash(kind: str | None, after: int) -> Iterator[None]:
    """Die on the `after`-th page received ("page") or the `after`-th rename ("rename", final files and state)."""
    if kind is None:
        yield
        return
    calls = Counter[str]()
    target = "add" if kind == "page" else "replace"
    original = extract_files.DayFiles.add if kind == "page" else os.replace

    def dying(*args: object, **kwargs: object) -> object:
        calls[target] += 1
        if calls[target] == after:
            raise SimulatedCrash
        return original(*args, **kwargs)

    where = "labeling_analytics.extract.files.DayFiles.add" if kind == "page" else "os.replace"
    with mock.patch(where, side_effect=dying, autospec=kind == "page"):
        yield


NIGHT = st.fixed_dictionaries(
    {
        "hours": st.integers(1, 40),
        "faults": st.lists(st.sampled_from(TRANSIENT_FAULTS), max_size=6),
        "crash": st.one_of(st.none(), st.tuples(st.sampled_from(["page", "rename"]), st.integers(1, 6))),
        "per_page": st.sampled_from([300, 1000, 5000]),
        "step_minutes": st.sampled_from([0, 20, 90]),
    }
)


@settings(
    max_examples=int(os.environ.get("LABELING_ANALYTICS_EXTRACT_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(nights=st.lists(NIGHT, min_size=1, max_size=5), seed=st.integers(0, 1000))
def test_after_any_sequence_of_runs_faults_and_crashes_the_files_hold_every_served_event_once(
    team_records: list[dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
    nights: list[dict[str, Any]],
    seed: int,
) -> None:
    out = tmp_path_factory.mktemp("any-sequence")
    first, last = bounds(team_records)
    log = new_log(team_records, late_share=0.1, max_late_hours=6, seed=seed)  # the overlap (8h) covers the lateness
    clock = first - HOUR_MS
    with serving(log) as address:
        for night in nights:
            clock += night["hours"] * HOUR_MS
            log.clock_ms, log.step_ms = clock, night["step_minutes"] * 60_000
            log.faults.clear()
            log.faults.extend(night["faults"])
            kind, after = night["crash"] or (None, 0)
            options = ("--until", at(clock), "--overlap", "8h", "--per-page", str(night["per_page"]), "--attempts", "4")
            try:
                with crash(kind, after):
                    extract(address, out, *options)
            except SimulatedCrash:
                pass
        end = max(clock, last) + 7 * HOUR_MS
        log.clock_ms, log.step_ms = end, 0
        log.faults.clear()
        assert extract(address, out, "--until", at(end), "--overlap", "8h") == 0
    assert_extracted_equals_served(out, team_records)


def test_a_killed_process_resumes_without_losing_or_doubling_an_event(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """A real SIGKILL while paging, after some files of an earlier run exist."""
    first, last = bounds(team_records)
    middle = first + (last - first) // 2
    log = new_log(team_records)
    command = [
        str(Path(sys.executable).with_name("labeling-analytics")), "extract", "--team-id", str(TEAM),
        "--out", str(tmp_path), "--per-page", "300", "--overlap", "30h", "--quiet",
    ]  # fmt: skip
    with serving(log) as address:
        env = {**os.environ, "SERVER_ADDRESS": address, "API_TOKEN": TOKEN}
        log.clock_ms = middle
        subprocess.run([*command, "--until", at(middle)], env=env, check=True, capture_output=True)
        log.clock_ms = last
        window = [r for r in log.served(TEAM) if epoch_ms(r["date"]) >= middle - 30 * HOUR_MS]
        kill_at = log.requests + len(window) // 300 // 2  # halfway through the second run's pages
        assert kill_at > log.requests + 2
        process = subprocess.Popen([*command, "--until", at(last)], env=env, stdout=subprocess.DEVNULL)

        def kill(number: int) -> None:
            if number == kill_at:
                os.kill(process.pid, signal.SIGKILL)

        log.on_request = kill
        assert process.wait(timeout=120) == -signal.SIGKILL
        log.on_request = None
        assert list(tmp_path.rglob(f".{PREFIX}*")), "the kill came before any page was spooled"
        assert state(tmp_path)["mark"] == at(middle)
        resumed = subprocess.run([*command, "--until", at(last)], env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "removed" in resumed.stdout + resumed.stderr
    assert_extracted_equals_served(tmp_path, team_records)


# --- into the warehouse -----------------------------------------------------------------------------------------------


def staged_keys(database: Path) -> Counter[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as db:
        rows = db.execute(
            """select user_id, action, epoch_ms(occurred_at), project_id, dataset_id, image_id, class_id,
                      figure_id, job_id, tag_id
               from staging.stg_supervisely__activity where team_id = ?""",
            [TEAM],
        ).fetchall()
    return Counter(rows)


def served_keys(records: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    fields = ("userId", "action", "date", "projectId", "datasetId", "imageId", "classId", "figureId", "jobId", "tagId")
    return Counter(tuple(epoch_ms(r[f]) if f == "date" else r.get(f) for f in fields) for r in records)


def assert_warehouse_holds(database: Path, served: list[dict[str, Any]]) -> int:
    """Every served event is staged once, or quarantined (the simulator's malformed records); return the
    number quarantined."""
    staged = staged_keys(database)
    with duckdb.connect(str(database), read_only=True) as db:
        (rejected,) = db.execute("select count(*) from staging.stg_supervisely__activity_rejected").fetchone() or (0,)
        (repeats,) = db.execute("select count(*) from staging.stg_supervisely__activity_duplicates").fetchone() or (0,)
    assert repeats == 0, "the extractor wrote an event twice"
    assert max(staged.values()) == 1 and not staged - served_keys(served), "a staged event was not served"
    assert staged.total() + rejected == len(served), (staged.total(), rejected, len(served))
    return int(rejected)


def test_the_staged_events_equal_the_served_events_across_nights_and_faults(
    team_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    first, last = bounds(team_records)
    log = new_log(team_records, late_share=0.1, max_late_hours=6, seed=11)
    raw, rng = tmp_path / "raw", random.Random(5)
    with serving(log) as address:
        for night, clock in enumerate(range(first + 20 * HOUR_MS, last + 30 * HOUR_MS, 20 * HOUR_MS)):
            log.clock_ms, log.step_ms = clock, 30 * 60_000
            log.faults.extend(rng.choices(TRANSIENT_FAULTS, k=3))
            assert extract(address, raw, "--until", at(clock), "--overlap", "8h", "--per-page", "500") == 0
            if night == 1:  # the warehouse is built between nights, so the next build is incremental
                build = build_warehouse(raw, tmp_path / "dbt")
                assert build.result.returncode == 0, build.result.stdout[-3000:]
        assert log.clock_ms is not None and log.clock_ms > last + 6 * HOUR_MS
    build = build_warehouse(raw, tmp_path / "dbt")
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    assert assert_warehouse_holds(build.database, team_records) == 0
    assert staged_keys(build.database) == served_keys(team_records)


def test_the_extractor_never_takes_for_one_event_two_records_the_warehouse_tells_apart(tmp_path: Path) -> None:
    """Its dedup is at most as coarse as staging's `event_id`: merging more would lose events."""
    base = {
        "userId": 7, "action": "attach_tag", "date": "2024-05-06T10:00:00.123Z", "user": "ann",
        "projectId": 1817, "project": "Roads", "datasetId": 2370, "dataset": "train", "imageId": 726985,
        "image": "IMG_1.jpeg", "classId": None, "class": None, "figureId": None, "job": None, "jobId": None,
        "tag": "weather", "tagId": 4720, "meta": {"id": 11, "value": "5", "startFrame": 1, "endFrame": 4},
    }  # fmt: skip
    login = {**base, "action": "login", "tag": None, "tagId": None, "meta": {"ip": "10.0.0.1"}}
    variants = [
        base,
        {**base, "project": "Roads (renamed)", "user": "ann b."},  # names: the same event for both
        {**base, "tagId": 4720.0, "classId": None},  # a float id, null written out
        {**base, "date": "2024-05-06T10:00:00.123000+00:00"},  # the instant in another spelling
        {**base, "meta": {**base["meta"], "value": 5}},  # a number, not the text "5"
        {**base, "meta": {**base["meta"], "value": 5.0}},
        {**base, "meta": {**base["meta"], "value": None}},
        {**base, "meta": {**base["meta"], "endFrame": 4.0}},
        {**base, "meta": {**base["meta"], "extra": 1}},
        {**base, "date": "2024-05-06T10:00:00.124Z"},
        {**base, "tagId": 4721},
        {**{k: v for k, v in base.items() if k != "action"}, "type": "attach_tag"},
        {**base, "type": "detach_tag"},
        login,
        {**login, "meta": {"ip": "10.0.0.2"}},  # personal data: not part of the event
        {**login, "meta": {}},
    ]
    raw = tmp_path / "raw" / f"team_id={TEAM}" / "2024-05-06"
    raw.mkdir(parents=True)
    (raw / "pairs.jsonl").write_text("".join(json.dumps(v) + "\n" for v in variants))
    build = build_warehouse(tmp_path / "raw", tmp_path / "dbt")
    assert build.result.returncode == 0, build.result.stdout[-3000:]
    with duckdb.connect(str(build.database), read_only=True) as db:
        event_ids = dict(
            db.execute("select source_row_number, event_id from staging.stg_supervisely__activity_rows").fetchall()
        )
    assert len(event_ids) == len(variants) and None not in event_ids.values()
    merged_by_extractor = 0
    for i, first in enumerate(variants):
        for j in range(i + 1, len(variants)):
            if fingerprint(first) == fingerprint(variants[j]):
                merged_by_extractor += 1
                assert event_ids[i + 1] == event_ids[j + 1], f"rows {i + 1} and {j + 1} are distinct events"
    assert fingerprint(variants[0]) == fingerprint(variants[1]) == fingerprint(variants[2]) == fingerprint(variants[3])
    assert fingerprint(login) == fingerprint(variants[-2]) and merged_by_extractor >= 7


# --- the README, as written -------------------------------------------------------------------------------------------

README = (PROJECT_ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```(?:sh)?\n(.*?)```", README, flags=re.DOTALL)


def readme_block(first_line: str) -> str:
    found = [block for block in BLOCKS if block.startswith(first_line)]
    assert len(found) == 1, f"the README has no block starting with {first_line!r}"
    return found[0]


def clean_env() -> dict[str, str]:
    unset = ("SERVER_ADDRESS", "API_TOKEN", "LABELING_ANALYTICS_RAW_DIR", "LABELING_ANALYTICS_DUCKDB_PATH", "MAKEFLAGS")
    return {key: value for key, value in os.environ.items() if key not in unset}


def simulated_team(copy: Path) -> list[dict[str, Any]]:
    log = ActivityLog(TOKEN)
    load_exports(log, copy / "data" / "simulated")
    return log.served(TEAM)


def test_the_readme_commands_run_as_written_against_the_local_server(tmp_path: Path) -> None:
    copy = project_copy(tmp_path / "project")
    block = readme_block("make install\n.venv/bin/labeling-analytics simulate")
    assert block.count("8765") == 2
    block = block.replace("8765", str(free_port()))  # the README's port may be taken on this machine
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", block], cwd=copy, env=clean_env(), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=900)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the server, if the block stopped before `kill $!`
            os.killpg(process.pid, signal.SIGTERM)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "0 new in 0 file(s)" in result.stdout  # the second run
    served = simulated_team(copy)
    assert_warehouse_holds(copy / "warehouse" / "labeling_analytics.duckdb", served)

    # The nightly job, as the crontab line runs it, with the README's settings file, on a new warehouse.
    shutil.rmtree(copy / "warehouse")
    settings_file = readme_block("# /srv/labeling-analytics/nightly.env")
    cron_line = readme_block("30 2 * * * ").strip()
    command = cron_line.split(maxsplit=5)[5].replace("/srv/labeling-analytics", str(copy))
    with ActivityServer(new_log(served)) as server:
        settings_file = (
            settings_file.replace("https://app.supervisely.com", server.address)
            .replace("<your token>", TOKEN)
            .replace('"12 15"', '"1"')
            .replace("=data/raw", "=data/nightly")
            .replace("<a long random string>", "nightly-salt-0123456789abcdef")
        )
        (copy / "nightly.env").write_text(settings_file)
        nightly = subprocess.run(["sh", "-c", command], cwd="/", env=clean_env(), capture_output=True, text=True)
    log_text = (copy / "logs" / "nightly.log").read_text()
    assert nightly.returncode == 0, log_text[-3000:]
    assert "extract team(s) 1 into data/nightly" in log_text and "build the warehouse on data/nightly" in log_text
    assert_warehouse_holds(copy / "warehouse" / "labeling_analytics.duckdb", served)
    assert state(copy / "data" / "nightly")["last_run"]["new"] == len(served)
