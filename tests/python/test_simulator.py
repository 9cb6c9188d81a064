"""The simulator: deterministic, complete, honest about its noise, and its ground truth holds.

The ground truth is recomputed here from the exported files alone (tests/python/export_reader.py
reads them as a notebook would), with plain-Python definitions written apart from the simulator's
numpy code.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from labeling_analytics.cli import main
from labeling_analytics.simulator import TRUTH_DIR, NoiseRates, SimulationConfig, simulate
from labeling_analytics.simulator.catalog import ACTION_CODE, ACTIONS, REJECT_REASONS, REVIEW_CODE, REVIEW_STATUSES
from labeling_analytics.simulator.config import EVENTS_PER_MEMBER_DAY
from labeling_analytics.simulator.events import NULL, EventBatch, EventBuffer
from labeling_analytics.simulator.truth import SessionTruth, UserDayTruth, visit_measures

from .conftest import PROJECT_ROOT
from .export_reader import export_files, millis, read_events

DAY_MS = 86_400_000
IDLE_CUTOFF_MS = 300_000
EPOCH = dt.datetime(1970, 1, 1)
VERDICTS = {"accepted", "rejected", "quality_check_accepted"}


def truth(out: Path, name: str) -> list[dict[str, object]]:
    return pq.read_table(out / TRUTH_DIR / f"{name}.parquet").to_pylist()


def ms(value: dt.datetime | None) -> int | None:
    return None if value is None else (value - EPOCH) // dt.timedelta(milliseconds=1)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def seed_rows(name: str) -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "exports"
    config = SimulationConfig(users=8, days=4, seed=7, format="mixed", noise=NoiseRates(0.01, 0.1, 0.002, 0.3))
    simulate(config, out, progress=False)
    return out


@pytest.fixture(scope="module")
def small_events(small_run: Path) -> tuple[list[dict[str, object]], int]:
    bad = {(row["source_file"], row["source_row_number"]) for row in truth(small_run, "bad_rows")}
    return read_events(small_run, bad)  # type: ignore[arg-type]


def test_vocabulary_matches_the_dbt_seeds() -> None:
    assert list(ACTIONS) == [row["action"] for row in seed_rows("activity_action_catalog")]
    assert list(REVIEW_STATUSES) == [row["review_status"] for row in seed_rows("review_statuses")]
    by_priority = sorted(seed_rows("reject_reasons"), key=lambda row: int(row["priority"]))
    assert list(REJECT_REASONS) == [row["reject_reason"] for row in by_priority]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        simulate(SimulationConfig(users=6, days=3, seed=seed, format="mixed"), tmp_path / name, progress=False)
        runs[name] = digest(tmp_path / name)
    assert runs["a"] == runs["b"]
    assert len(runs["a"]) > 10
    assert runs["a"] != runs["c"]


def test_every_action_and_every_quarantine_reason_occurs(small_run: Path) -> None:
    actions = {row["action"] for row in truth(small_run, "events_by_action")}
    assert actions == set(ACTIONS)
    assert {row["reject_reason"] for row in truth(small_run, "bad_rows")} == set(REJECT_REASONS)


def test_exports_hold_exactly_the_events_the_truth_counts(
    small_run: Path, small_events: tuple[list[dict[str, object]], int]
) -> None:
    events, repeats = small_events
    files = truth(small_run, "files")
    assert len(events) == sum(int(f["events"]) for f in files)  # type: ignore[arg-type]
    assert repeats == sum(int(f["duplicates"]) for f in files)  # type: ignore[arg-type]
    by_action = Counter((e["team"], e["userId"], e["t"] // DAY_MS, e["action"]) for e in events)  # type: ignore[operator]
    expected = {
        (r["team_id"], r["user_id"], (r["activity_date"] - dt.date(1970, 1, 1)).days, r["action"]): r["events"]
        for r in truth(small_run, "events_by_action")
    }
    assert dict(by_action) == expected


def _pieces_in_tool(events: list[dict[str, object]]) -> dict[int, set[tuple[int, int]]]:
    """Per user, the pieces (a, b) between consecutive actions that lie inside an item visit."""
    points: dict[int, set[int]] = defaultdict(set)
    visits: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for e in events:
        user, t = int(e["userId"]), int(e["t"])  # type: ignore[call-overload]
        points[user].add(t)
        if e["action"] == "annotation_duration":
            start = t - round(float(e["meta"]["duration"]) * 1000)  # type: ignore[index]
            points[user].add(start)
            visits[user].append((start, t))
    pieces: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for user, spans in visits.items():
        ordered = sorted(points[user])
        for start, end in spans:
            inside = [p for p in ordered if start <= p <= end]
            pieces[user].update(itertools.pairwise(inside))
    return pieces


def _by_day(pieces: set[tuple[int, int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for a, b in pieces:
        midnight = (a // DAY_MS + 1) * DAY_MS
        total[a // DAY_MS] += min(b, midnight) - a
        if b > midnight:
            total[midnight // DAY_MS] += b - midnight
    return total


def test_user_daily_truth_recomputed_from_the_exports(small_run: Path, small_events: tuple[list, int]) -> None:
    events = sorted(small_events[0], key=lambda e: (e["t"], e["userId"]))
    expected: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    images: dict[tuple[int, int], set[int]] = defaultdict(set)
    edited: dict[tuple[int, int], set[int]] = defaultdict(set)
    spans: dict[tuple[int, int], list[int]] = {}
    labeler: dict[int, int] = {}
    names = {
        "create_figure": "figures_created", "update_figure": "figures_updated", "disable_figure": "figures_disabled",
        "restore_figure": "figures_restored", "attach_tag": "tags_attached", "update_tag_value": "tag_values_updated",
        "detach_tag": "tags_detached", "annotation_duration": "visits",
    }  # fmt: skip
    for e in events:
        key = (e["userId"], e["t"] // DAY_MS)
        expected[key]["events"] += 1
        span = spans.setdefault(key, [e["t"], e["t"]])
        span[0], span[1] = min(span[0], e["t"]), max(span[1], e["t"])
        if e["action"] in names:
            expected[key][names[e["action"]]] += 1
        if e["action"] == "annotation_duration":
            images[key].add(e["imageId"])
            if e["figureId"] is not None:
                edited[key].add(e["imageId"])
        if e["action"] == "image_review_status_updated":
            status = e["meta"]["reviewStatus"]
            if status == "done":
                expected[key]["items_submitted"] += 1
                labeler[e["imageId"]] = e["userId"]
            if status in VERDICTS:
                verdict = "rejected" if status == "rejected" else "accepted"
                expected[key]["reviews_performed"] += 1
                expected[key][f"{verdict}_as_reviewer"] += 1
                expected[(labeler[e["imageId"]], key[1])][f"{verdict}_as_labeler"] += 1
    in_tool = _pieces_in_tool(events)
    for user, pieces in in_tool.items():
        for day, amount in _by_day(pieces).items():
            expected[(user, day)]["time_in_tool_ms"] += amount
        for day, amount in _by_day({(a, b) for a, b in pieces if b - a <= IDLE_CUTOFF_MS}).items():
            expected[(user, day)]["active_labeling_ms"] += amount

    rows = truth(small_run, "user_daily")
    assert {(r["user_id"], (r["activity_date"] - dt.date(1970, 1, 1)).days) for r in rows} == set(expected)
    active_below_tool = 0
    for r in rows:
        key = (r["user_id"], (r["activity_date"] - dt.date(1970, 1, 1)).days)
        want = expected[key]
        for measure in (*names.values(), "events", "items_submitted", "reviews_performed"):
            assert r[measure] == want[measure], (key, measure)
        for role in ("reviewer", "labeler"):
            for verdict in ("accepted", "rejected"):
                assert r[f"{verdict}_as_{role}"] == want[f"{verdict}_as_{role}"], (key, role, verdict)
        assert r["items_opened"] == len(images[key])
        assert r["items_edited"] == len(edited[key])
        assert r["items_viewed_only"] == len(images[key] - edited[key])
        assert round(r["time_in_tool_seconds"] * 1000) == want["time_in_tool_ms"], key
        assert round(r["active_labeling_seconds"] * 1000) == want["active_labeling_ms"], key
        assert r["active_labeling_seconds"] <= r["time_in_tool_seconds"]
        active_below_tool += r["active_labeling_seconds"] < r["time_in_tool_seconds"]
        if key in spans:
            assert [ms(r["first_event_at"]), ms(r["last_event_at"])] == spans[key]
    # The 5-minute rule did cut idle time somewhere, someone worked across midnight UTC, and a
    # labeler had an item judged on a day without an event of theirs.
    assert active_below_tool > 0
    assert any(a // DAY_MS != b // DAY_MS for pieces in in_tool.values() for a, b in pieces)
    assert any(r["events"] == 0 and r["accepted_as_labeler"] > 0 for r in rows)


JOB_COUNTS = {"create_figure": "figures_created", "attach_tag": "tags_attached", "annotation_duration": "visits"}


def test_review_visits_and_job_truth_recomputed_from_the_exports(
    small_run: Path, small_events: tuple[list, int]
) -> None:
    """user_daily's review visits and review time, and user_job_daily, from the exports alone."""
    events = sorted(small_events[0], key=lambda e: (e["t"], e["userId"]))
    points: dict[tuple[int, int], set[int]] = defaultdict(set)
    visits: list[tuple[int, int, int, int | None, int, int]] = []  # team, user, image, job, start, end
    verdicts: dict[tuple[int, int, int], list[int]] = defaultdict(list)  # (team, user, image) -> times
    jobs: dict[tuple[int, int, int, int], Counter[str]] = defaultdict(Counter)  # team, user, job, day
    labeler: dict[int, int] = {}
    for e in events:
        team, user, t, job, day = e["team"], e["userId"], e["t"], e["jobId"], e["t"] // DAY_MS
        points[(team, user)].add(t)
        if e["action"] == "annotation_duration":
            start = t - round(float(e["meta"]["duration"]) * 1000)
            points[(team, user)].add(start)
            visits.append((team, user, e["imageId"], job, start, t))
        if job is not None:
            jobs[(team, user, job, day)]["events"] += 1
            if e["action"] in JOB_COUNTS:
                jobs[(team, user, job, day)][JOB_COUNTS[e["action"]]] += 1
        if e["action"] == "image_review_status_updated":
            status = e["meta"]["reviewStatus"]
            if status == "done":
                labeler[e["imageId"]] = user
                jobs[(team, user, job, day)]["items_submitted"] += 1
            if status in VERDICTS:
                verdict = "rejected" if status == "rejected" else "accepted"
                verdicts[(team, user, e["imageId"])].append(t)
                jobs[(team, user, job, day)]["reviews_performed"] += 1
                jobs[(team, user, job, day)][f"{verdict}_as_reviewer"] += 1
                jobs[(team, labeler[e["imageId"]], job, day)][f"{verdict}_as_labeler"] += 1

    ordered = {member: sorted(times) for member, times in points.items()}
    daily: dict[tuple[int, int, int], Counter[str]] = defaultdict(Counter)
    cut_visits = 0
    for team, user, image, job, start, end in visits:
        member_points = ordered[(team, user)]
        inside = member_points[bisect_left(member_points, start) : bisect_right(member_points, end)]
        active = sum(b - a for a, b in itertools.pairwise(inside) if b - a <= IDLE_CUTOFF_MS)
        cut_visits += active < end - start
        review = any(start <= t <= end for t in verdicts.get((team, user, image), []))
        key = (team, user, end // DAY_MS)
        if review:
            daily[key]["review_visits"] += 1
            daily[key]["review_ms"] += active
        if job is not None:
            jobs[(team, user, job, end // DAY_MS)]["active_labeling_ms"] += active
            jobs[(team, user, job, end // DAY_MS)]["review_ms"] += active if review else 0

    user_daily = truth(small_run, "user_daily")
    for r in user_daily:
        want = daily.get(_day_key(r), Counter())  # type: ignore[arg-type]
        assert r["review_visits"] == want["review_visits"], _day_key(r)
        assert round(r["review_seconds"] * 1000) == want["review_ms"], _day_key(r)
    assert set(daily) <= {_day_key(r) for r in user_daily}

    rows = truth(small_run, "user_job_daily")
    found = {
        (r["team_id"], r["user_id"], r["job_id"], (r["activity_date"] - dt.date(1970, 1, 1)).days): r for r in rows
    }
    assert len(found) == len(rows)
    assert set(found) == set(jobs)
    counts = (
        "events", *JOB_COUNTS.values(), "items_submitted", "reviews_performed", "accepted_as_reviewer",
        "rejected_as_reviewer", "accepted_as_labeler", "rejected_as_labeler",
    )  # fmt: skip
    for key, r in found.items():
        for measure in counts:
            assert r[measure] == jobs[key][measure], (key, measure)
        assert round(r["active_labeling_seconds"] * 1000) == jobs[key]["active_labeling_ms"], key
        assert round(r["review_seconds"] * 1000) == jobs[key]["review_ms"], key
        assert r["review_seconds"] <= r["active_labeling_seconds"]

    # What the simulator guarantees, so that the job split adds up: a member's visits never
    # overlap, every visit carries a job, and every verdict is given inside a visit of its giver
    # to its image.
    by_member: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for team, user, _, job, start, end in visits:
        assert job is not None
        by_member[(team, user)].append((start, end))
    for spans in by_member.values():
        spans.sort()
        assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(spans))
    in_visit = {
        (team, user, image, t)
        for team, user, image, _, start, end in visits
        for t in verdicts.get((team, user, image), [])
        if start <= t <= end
    }
    assert len(in_visit) == sum(len(times) for times in verdicts.values())

    # Summed over jobs, user_job_daily is user_daily (for events with a job: all but `events`);
    # active labeling time adds up per member over the window (it is split at midnight per day).
    with_job = Counter((e["team"], e["userId"], e["t"] // DAY_MS) for e in events if e["jobId"] is not None)
    summed: dict[tuple[int, int, int], Counter[str]] = defaultdict(Counter)
    for (team, user, _, day), r in found.items():
        for measure in (*counts, "active_labeling_seconds", "review_seconds"):
            summed[(team, user, day)][measure] += round(r[measure] * 1000) if "seconds" in measure else r[measure]
    member_active: Counter[tuple[int, int]] = Counter()
    for r in user_daily:
        key = _day_key(r)
        assert summed[key]["events"] == with_job[key], key  # type: ignore[index]
        for measure in counts[1:]:
            assert summed[key][measure] == r[measure], (key, measure)
        assert summed[key]["review_seconds"] == round(r["review_seconds"] * 1000), key
        member_active[key[:2]] += round(r["active_labeling_seconds"] * 1000)  # type: ignore[index]
    assert set(summed) <= {_day_key(r) for r in user_daily}
    job_active: Counter[tuple[int, int]] = Counter()
    for key, totals in summed.items():
        job_active[key[:2]] += totals["active_labeling_seconds"]
    assert +job_active == +member_active

    # The run exercises the measures: review visits, idle time cut from a visit, several jobs, a
    # member working in two jobs on one day, and a labeler credited in a job on a day without an event there.
    assert sum(r["review_visits"] for r in user_daily) > 100
    assert sum(r["review_seconds"] for r in user_daily) > 0
    assert cut_visits > 0
    assert len({key[2] for key in found}) >= 3
    assert max(Counter((t, u, d) for t, u, _, d in found).values()) > 1
    assert any(r["events"] == 0 and r["accepted_as_labeler"] > 0 for r in rows)


def test_figure_and_image_truth_recomputed_from_the_exports(small_run: Path, small_events: tuple[list, int]) -> None:
    events = sorted(small_events[0], key=lambda e: e["t"])
    figures: dict[int, dict[str, object]] = {}
    reviews: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for e in events:
        if e["action"].endswith("_figure"):
            verb = e["action"].split("_")[0]
            f = figures.setdefault(e["figureId"], Counter())
            if verb == "create":
                f.update(creator_user_id=e["userId"], created_at=e["t"], image_id=e["imageId"])
            f[f"{verb}_n"] += 1
            if verb in ("create", "update"):
                f.setdefault("editors", set()).add(e["userId"])
            if verb == "update":
                f["last_updated_at"] = e["t"]
            if verb in ("disable", "restore"):
                f["final_state"] = "disabled" if verb == "disable" else "active"
        if e["action"] == "image_review_status_updated":
            reviews[e["imageId"]].append((e["meta"]["reviewStatus"], e["userId"]))

    rows = truth(small_run, "figures")
    assert {r["figure_id"] for r in rows} == set(figures)
    for r in rows:
        f = figures[r["figure_id"]]
        assert r["creator_user_id"] == f["creator_user_id"]
        assert ms(r["created_at"]) == f["created_at"]
        assert r["update_count"] == f["update_n"]
        assert r["editor_count"] == len(f["editors"])
        assert ms(r["last_updated_at"]) == f.get("last_updated_at")
        assert (r["disabled_count"], r["restored_count"]) == (f["disable_n"], f["restore_n"])
        assert r["final_state"] == f.get("final_state", "active")
        assert r["image_id"] == f["image_id"]

    images = truth(small_run, "images")
    assert {r["image_id"] for r in images if r["submissions"]} == set(reviews)
    for r in images:
        history = reviews.get(r["image_id"], [])
        statuses = [status for status, _ in history]
        assert r["submissions"] == statuses.count("done")
        assert r["review_rounds"] == sum(status in VERDICTS for status in statuses)
        assert r["rework_rounds"] == statuses.count("rejected") + statuses.count("none")
        assert r["final_review_status"] == (statuses[-1] if statuses else None)
        verdicts = [user for status, user in history if status in VERDICTS]
        assert r["reviewer_user_id"] == (verdicts[-1] if verdicts else None)
    assert any(r["rework_rounds"] > 0 for r in images)
    assert any(status == "none" for history in reviews.values() for status, _ in history)  # a reset occurred
    assert any(r["final_state"] == "disabled" for r in rows)


def test_membership_truth_matches_member_events(small_run: Path, small_events: tuple[list, int]) -> None:
    events = small_events[0]
    added = {e["meta"]["id"]: e["t"] for e in events if e["action"] == "add_member"}
    removed = {e["meta"]["id"]: e["t"] for e in events if e["action"] == "remove_member"}
    rows = truth(small_run, "membership")
    assert {r["user_id"]: ms(r["added_at"]) for r in rows if r["added_at"]} == added
    assert {r["user_id"]: ms(r["removed_at"]) for r in rows if r["removed_at"]} == removed
    # Nobody acts while outside the team.
    for e in events:
        if e["userId"] in added:
            assert e["t"] > added[e["userId"]]
        if e["userId"] in removed:
            assert e["t"] < removed[e["userId"]]


def test_noise_rates_are_honoured(tmp_path: Path) -> None:
    rates = NoiseRates(duplicate=0.02, late=0.25, bad=0.004, out_of_order=0.5)
    out = tmp_path / "noisy"
    summary = simulate(SimulationConfig(users=20, days=6, seed=3, noise=rates), out, progress=False)
    n = summary.events
    assert n > 50_000

    def within(observed: float, rate: float, trials: int) -> bool:
        return abs(observed - rate * trials) <= 5 * (rate * (1 - rate) * trials) ** 0.5 + 1

    assert within(summary.duplicates, rates.duplicate, n)
    assert within(summary.bad_rows - 14, rates.bad, n)  # 14: one of each reason on the first day
    files = truth(out, "files")
    late = sum(f["events"] for f in files if "activity-late-" in f["source_file"])
    assert 0.1 * n < late < 0.4 * n  # a quarter of member-days arrive late: about a quarter of events
    for f in files:
        if "activity-late-" in f["source_file"]:
            arrived = dt.date.fromisoformat(f["folder"])
            made = dt.date.fromisoformat(f["source_file"].split("activity-late-")[1][:10])
            assert 1 <= (arrived - made).days <= 3

    unsorted, checked = 0, 0
    for f in files:
        if f["source_format"] == "jsonl" and f["events"] > 100:
            lines = (out / f["source_file"]).read_text(encoding="utf-8").splitlines()
            dates = [line.split('"date":"')[1][:24] for line in lines if '"date":"' in line]
            unsorted += dates != sorted(dates)
            checked += 1
    assert checked >= 10
    assert 0.15 * checked <= unsorted <= 0.85 * checked

    clean = tmp_path / "clean"
    summary = simulate(SimulationConfig(users=8, days=3, seed=3, noise=NoiseRates(0, 0, 0, 0)), clean, progress=False)
    assert (summary.duplicates, summary.bad_rows) == (0, 0)
    assert truth(clean, "bad_rows") == []  # the list exists, empty
    assert not [p for p in export_files(clean) if p.name != "activity.jsonl"]
    for path in export_files(clean):
        dates = [millis(line.split('"date":"')[1][:24]) for line in path.read_text().splitlines()]
        assert dates == sorted(dates)


def test_cli_sizes_runs_and_guards_the_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert main(["simulate", "--events", "20000", "--days", "2", "--seed", "5", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    members = math.ceil(20000 / EVENTS_PER_MEMBER_DAY / 2)
    assert f"1 team(s) x {members} members x 2 days" in printed
    assert "events/s" in printed
    # A second run must not mix with the first, unless asked to replace it.
    assert main(["simulate", "--users", "4", "--days", "1", "--out", str(out), "--quiet"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["simulate", "--users", "4", "--days", "1", "--out", str(out), "--quiet", "--force", "--no-noise"]) == 0
    manifest = json.loads((out / TRUTH_DIR / "manifest.json").read_text())
    assert (manifest["config"]["users"], manifest["config"]["days"]) == (4, 1)
    # Nothing of the first run is left: every export file is one the second run lists.
    listed = {row["source_file"] for row in truth(out, "files")}
    assert {p.relative_to(out).as_posix() for p in export_files(out)} == listed
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["simulate", "--users", "4", "--days", "1", "--out", str(other), "--quiet", "--force"]) == 2
    assert "empty" in capsys.readouterr().err
    assert (other / "notes.txt").exists()
    assert main(["simulate", "--users", "2", "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert main(["simulate", "--events", "10", "--users", "3", "--days", "2", "--out", str(tmp_path / "y")]) == 2


@pytest.fixture(scope="module")
def managed_run(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    """A team with three managers: one starts before the admin (UTC+1), whose entities it must not use early."""
    out = tmp_path_factory.mktemp("managed") / "exports"
    simulate(SimulationConfig(users=50, days=2, seed=4, noise=NoiseRates(0, 0, 0, 0)), out, progress=False)
    assert sum(row["role"] == "manager" for row in truth(out, "membership")) == 3
    return sorted(read_events(out, set())[0], key=lambda e: e["t"])


def test_no_impossible_sequence_in_the_stream(managed_run: list[dict[str, object]]) -> None:
    """What a lifecycle model flags must not happen: acting on an entity before its create or
    while it is disabled, tags on disabled figures, a verdict before a submission, two events of
    one member in one millisecond."""
    kinds = ("project", "dataset", "image", "figure", "class", "model", "plugin", "node", "workspace")
    created: dict[tuple[str, int], int] = {}
    for e in managed_run:
        verb, _, kind = str(e["action"]).partition("_")
        if verb == "create" and kind in kinds:
            target = e["meta"].get("id") if kind in ("model", "plugin", "node", "workspace") else e[f"{kind}Id"]
            created.setdefault((kind, target), e["t"])
    disabled: dict[tuple[str, int], bool] = {}
    last_time: dict[int, int] = {}
    submitted: set[int] = set()
    accepted_by: dict[int, int] = {}
    checked = Counter()
    for e in managed_run:
        assert last_time.get(e["userId"], -1) < e["t"], e
        last_time[e["userId"]] = e["t"]
        action = str(e["action"])
        verb, _, kind = action.partition("_")
        refs = [(k, e[f"{k}Id"]) for k in ("project", "dataset", "class", "image", "figure") if e[f"{k}Id"] is not None]
        if action == "annotation_duration":  # its figureId is the last figure touched, maybe by a disable
            refs = [ref for ref in refs if ref[0] != "figure"]
        if kind in ("model", "plugin", "node", "workspace") or action.startswith("model_"):
            refs.append(("model" if action.startswith("model_") else kind, e["meta"]["id"]))
        for ref in refs:
            if ref in created:
                assert created[ref] <= e["t"], ("before its create", e)
                checked["after create"] += 1
            if disabled.get(ref) and not (verb == "restore" and ref[0] == kind):
                raise AssertionError(f"an event on disabled {ref}: {e}")
        if verb in ("disable", "restore") and kind in kinds:
            target = refs[-1] if kind in ("model", "plugin", "node", "workspace") else (kind, e[f"{kind}Id"])
            disabled[target] = verb == "disable"
        if action == "image_review_status_updated":
            status = e["meta"]["reviewStatus"]
            if status == "done":
                submitted.add(e["imageId"])
            elif status in VERDICTS:
                assert e["imageId"] in submitted, ("verdict before any submission", e)
                checked["verdicts"] += 1
            if status == "quality_check_accepted":
                assert accepted_by.get(e["imageId"]) != e["userId"], ("QA of one's own acceptance", e)
                checked["qa"] += 1
            if status == "accepted":
                accepted_by[e["imageId"]] = e["userId"]
    assert checked["after create"] > 1000 and checked["verdicts"] > 100 and checked["qa"] > 10


def test_every_reason_is_written_even_when_every_day_arrives_late(tmp_path: Path) -> None:
    out = tmp_path / "late"
    noise = NoiseRates(duplicate=0.01, late=1.0, bad=0.01, out_of_order=0.0)
    simulate(SimulationConfig(users=4, days=3, seed=11, noise=noise), out, progress=False)
    bad = truth(out, "bad_rows")
    assert {row["reject_reason"] for row in bad} == set(REJECT_REASONS)
    assert not [p for p in export_files(out) if p.name == "activity.jsonl"]  # nothing arrived on time
    listed = {(row["source_file"], row["source_row_number"]) for row in bad}
    events, _ = read_events(out, listed)  # every other row parses: nothing malformed is unlisted
    assert len(events) == sum(row["events"] for row in truth(out, "files"))


def test_force_replaces_only_what_a_run_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sim"
    args = ["simulate", "--users", "3", "--days", "1", "--out", str(out), "--quiet"]
    assert main(args) == 0
    mine = out / "team_id=77" / "my-export.jsonl"
    mine.parent.mkdir()
    mine.write_text("{}\n")
    assert main([*args, "--force"]) == 2
    assert "did not write" in capsys.readouterr().err
    assert mine.exists() and (out / TRUTH_DIR / "manifest.json").exists()
    mine.unlink()
    for stranger in (out / TRUTH_DIR / "my-analysis.ipynb", out / ".truthful" / "keep.csv", out / ".important.tmp"):
        stranger.parent.mkdir(exist_ok=True)
        stranger.write_text("mine")
        assert main([*args, "--force"]) == 2, stranger
        assert stranger.exists()
        stranger.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.jsonl").write_text("{}\n")
    (out / "team_id=9").symlink_to(elsewhere, target_is_directory=True)
    assert main([*args, "--force"]) == 2
    assert (elsewhere / "keep.jsonl").exists()
    (out / "team_id=9").unlink()
    partial = next(out.glob("team_id=1/*/")) / ".activity.jsonl.tmp"  # a write cut short is the run's own
    partial.write_text("{")
    # A run that stopped half-way (its journal lists what it wrote) is replaced too.
    (out / TRUTH_DIR / "manifest.json").unlink()
    assert main([*args, "--force", "--seed", "9"]) == 0
    assert json.loads((out / TRUTH_DIR / "manifest.json").read_text())["config"]["seed"] == 9
    assert not (out / "team_id=77").exists()
    assert not partial.exists()
    for bad in (["--seed", "-1"], ["--users", "0"], ["--days", "0"], ["--teams", "0"], ["--events", "0"]):
        assert main(["simulate", *bad, "--out", str(tmp_path / "new"), "--quiet"]) == 2, bad
        assert bad[0] in capsys.readouterr().err
    file = tmp_path / "a-file"
    file.write_text("x")
    assert main(["simulate", "--out", str(file), "--quiet"]) == 2
    assert "is a file" in capsys.readouterr().err


# --- sessions: each member's whole history in time order, in plain Python ------------------------
History = list[tuple[int, str, int | None]]  # (time, action, visit length in ms for annotation_duration)


def _histories(events: list[dict[str, object]]) -> dict[tuple[int, int], History]:
    histories: dict[tuple[int, int], History] = defaultdict(list)
    for e in sorted(events, key=lambda e: e["t"]):  # type: ignore[arg-type,return-value]
        visit = round(float(e["meta"]["duration"]) * 1000) if e["action"] == "annotation_duration" else None  # type: ignore[index]
        histories[(e["team"], e["userId"])].append((e["t"], e["action"], visit))  # type: ignore[arg-type]
    return histories


def _labeling_sessions(history: History) -> list[tuple[int, int, int, int, list[tuple[int, int]]]]:
    """(start, end, events, visits, active pieces) of each run of points with no gap over 5 minutes."""
    visits = [(t - length, t) for t, _, length in history if length is not None]
    points = sorted({t for t, _, _ in history} | {start for start, _ in visits})
    in_tool: set[tuple[int, int]] = set()
    for start, end in visits:
        in_tool.update(itertools.pairwise(points[bisect_left(points, start) : bisect_right(points, end)]))
    runs = [[points[0]]]
    for point in points[1:]:
        if point - runs[-1][-1] <= IDLE_CUTOFF_MS:
            runs[-1].append(point)
        else:
            runs.append([point])
    times = [t for t, _, _ in history]
    visit_ends = [end for _, end in visits]
    return [
        (
            run[0],
            run[-1],
            bisect_right(times, run[-1]) - bisect_left(times, run[0]),
            bisect_right(visit_ends, run[-1]) - bisect_left(visit_ends, run[0]),
            [piece for piece in itertools.pairwise(run) if piece in in_tool],
        )
        for run in runs
    ]


def _login_sessions(history: History) -> list[tuple[int, int, str, str, int]]:
    """(login_at, logout_at, started_by, ended_by, events), by the rule of docs/simulator.md."""
    found: list[tuple[int, str, int, str]] = []
    current: tuple[int, str] | None = None
    for i, (t, action, _) in enumerate(history):
        if action == "login" or (action == "login_to_team" and current is None):
            if current is not None:
                found.append((*current, history[i - 1][0], "last_event"))
            current = (t, action)
        elif action == "logout":
            if current is None:
                previous_end = found[-1][2] if found else None
                start = next(u for u, _, _ in history if previous_end is None or u > previous_end)
                current = (start, "first_event") if start < t else None  # a repeated logout is no session
            if current is not None:
                found.append((*current, t, "logout"))
            current = None
    if current is not None:
        found.append((*current, history[-1][0], "last_event"))
    times = [t for t, _, _ in history]
    return [(a, b, by, end, bisect_right(times, b) - bisect_left(times, a)) for a, by, b, end in found]


def _days(a: int, b: int) -> Counter[int]:
    """The milliseconds of [a, b] on each UTC day."""
    out: Counter[int] = Counter()
    while True:
        midnight = (a // DAY_MS + 1) * DAY_MS
        out[a // DAY_MS] += min(b, midnight) - a
        if b <= midnight:
            return out
        a = midnight


def _day_key(row: dict[str, object]) -> tuple[object, object, int]:
    return (row["team_id"], row["user_id"], (row["activity_date"] - dt.date(1970, 1, 1)).days)  # type: ignore[operator]


def test_labeling_session_truth_recomputed_from_the_exports(small_run: Path, small_events: tuple[list, int]) -> None:
    expected: dict[tuple[int, int, int], tuple[int, int, int, int]] = {}
    active_by_day: Counter[tuple[int, int, int]] = Counter()
    split_visits = 0  # visits that began in an earlier session than the one they end in
    for (team, user), history in _histories(small_events[0]).items():
        sessions = _labeling_sessions(history)
        for start, end, events, visits, active in sessions:
            expected[(team, user, start)] = (end, events, visits, sum(b - a for a, b in active))
            for a, b in active:
                for day, amount in _days(a, b).items():
                    active_by_day[(team, user, day)] += amount
        starts = [session[0] for session in sessions]
        split_visits += sum(
            bisect_right(starts, t) != bisect_right(starts, t - length) for t, _, length in history if length
        )
    rows = truth(small_run, "sessions")
    found = {
        (r["team_id"], r["user_id"], ms(r["session_started_at"])): (
            ms(r["session_ended_at"]), r["events"], r["visits"], round(r["active_labeling_seconds"] * 1000)
        )
        for r in rows
    }  # fmt: skip
    assert len(found) == len(rows)
    assert found == expected

    # The sessions' active time, split at midnight, is user_daily's; and from the two truth files
    # alone: per member in all, and per day on days no session of theirs crosses midnight.
    daily = truth(small_run, "user_daily")
    assert {k: v for k, v in active_by_day.items() if v} == {
        _day_key(r): round(r["active_labeling_seconds"] * 1000) for r in daily if r["active_labeling_seconds"]
    }
    per_member: Counter[tuple[int, int]] = Counter()
    per_day: Counter[tuple[int, int, int]] = Counter()
    crossed: set[tuple[int, int, int]] = set()
    for (team, user, start), (end, _, _, active) in found.items():
        per_member[(team, user)] += active
        if start // DAY_MS == end // DAY_MS:
            per_day[(team, user, start // DAY_MS)] += active
        else:
            crossed.update({(team, user, start // DAY_MS), (team, user, end // DAY_MS)})
    daily_member: Counter[tuple[int, int]] = Counter()
    for r in daily:
        daily_member[r["team_id"], r["user_id"]] += round(r["active_labeling_seconds"] * 1000)
        if _day_key(r) not in crossed:
            assert per_day[_day_key(r)] == round(r["active_labeling_seconds"] * 1000), _day_key(r)
    assert +per_member == +daily_member
    # Breaks split a member's day, and a visit began in an earlier session than it ended in.
    assert max(Counter((t, u, s // DAY_MS) for t, u, s in found).values()) > 3
    assert split_visits > 0


def test_login_session_truth_recomputed_from_the_exports(small_run: Path, small_events: tuple[list, int]) -> None:
    expected: list[tuple[int, int, int, int, str, str, int]] = []
    login_by_day: Counter[tuple[int, int, int]] = Counter()
    for (team, user), history in _histories(small_events[0]).items():
        for session in _login_sessions(history):
            expected.append((team, user, *session))
            for day, amount in _days(session[0], session[1]).items():
                login_by_day[(team, user, day)] += amount
    found = [
        (r["team_id"], r["user_id"], ms(r["login_at"]), ms(r["logout_at"]), r["started_by"], r["ended_by"], r["events"])
        for r in truth(small_run, "login_sessions")
    ]
    assert sorted(found) == sorted(expected)  # type: ignore[type-var]
    daily = {_day_key(r): round(r["login_seconds"] * 1000) for r in truth(small_run, "user_daily")}
    assert set(login_by_day) <= set(daily)
    assert daily == {key: login_by_day.get(key, 0) for key in daily}  # type: ignore[call-overload]
    # Missing logouts are real, and some days log in again after lunch.
    assert {ended for *_, ended, _ in found} == {"logout", "last_event"}
    assert any(n > 1 for n in Counter((t, u, a // DAY_MS) for t, u, a, *_ in found).values())


def _batch(events: list[tuple[int, int, str, int | None]]) -> EventBatch:
    buffer = EventBuffer()
    for user, t, action, visit in events:
        buffer.emit(user, ACTION_CODE[action], t, num=NULL if visit is None else visit)
    return buffer.to_batch()


def test_session_rules_on_hand_made_events() -> None:
    """Every branch of both session rules, over two work days, against the plain-Python rules."""
    t0 = 19_849 * DAY_MS  # 2024-05-06
    day1 = [
        (1, t0, "create_figure", None),  # no session open: it waits for a logout
        (1, t0 + 1_000, "logout", None),  # closes a session begun at the first event
        (1, t0 + 2_000, "logout", None),  # again: a repeated logout, no session
        (1, t0 + 3_000, "login_to_team", None),  # opens one, as none is open
        (1, t0 + 4_000, "login_to_team", None),  # belongs to the open one
        (1, t0 + 304_000, "annotation_duration", 300_000),  # its start shares t0 + 4000; a 5-minute gap
        (1, t0 + 604_001, "create_figure", None),  # 5 minutes and 1 ms: a new labeling session
        (1, t0 + 700_000, "login", None),  # closes the open session at its last event
        (1, t0 + 800_000, "logout", None),
        (1, t0 + 900_000, "update_figure", None),  # in no session: a login follows, not a logout
        (1, t0 + 1_000_000, "login", None),
        (1, t0 + 1_100_000, "annotation_duration", 50_000),  # left open at the end of the day
        (2, t0 + 5_000, "login", None),
        (2, t0 + 10_000, "logout", None),
    ]
    day2 = [
        (1, t0 + DAY_MS, "login", None),  # ends yesterday's open session at its last event
        (1, t0 + DAY_MS + 60_000, "logout", None),
        (2, t0 + DAY_MS + 5_000, "login_to_team", None),
        (2, t0 + DAY_MS + 6_000, "create_figure", None),  # never logged out
    ]
    sessions = SessionTruth(team_id=3)
    labeling, logins = [], []
    for events in (day1, day2):
        batch = _batch(events)
        logins.extend(sessions.login(batch)[0].to_pylist())
        labeling.extend(sessions.labeling(batch).to_pylist())
    for user in (1, 2):
        history = [(t, action, visit) for u, t, action, visit in day1 + day2 if u == user]
        found = [r for r in logins if r["user_id"] == user]
        got = [(ms(r["login_at"]), ms(r["logout_at"]), r["started_by"], r["ended_by"], r["events"]) for r in found]
        assert got == _login_sessions(history), user
        found = [r for r in labeling if r["user_id"] == user]
        got = [
            (ms(r["session_started_at"]), ms(r["session_ended_at"]), r["events"], r["visits"],
             round(r["active_labeling_seconds"] * 1000))
            for r in found
        ]  # fmt: skip
        want = [(a, b, n, v, sum(y - x for x, y in active)) for a, b, n, v, active in _labeling_sessions(history)]
        assert got == want, user
    assert {r["started_by"] for r in logins} == {"login", "login_to_team", "first_event"}
    assert [r["team_id"] for r in logins + labeling] == [3] * len(logins + labeling)

    # A session that would run from one work day into the next is refused, not cut.
    with pytest.raises(AssertionError, match="login session"):
        sessions.login(_batch([(2, t0 + 2 * DAY_MS, "create_figure", None)]))  # yesterday's is still open
    with pytest.raises(AssertionError, match="labeling session"):
        sessions.labeling(_batch([(1, t0 + DAY_MS + 360_000, "login", None)]))  # 5 minutes after the logout


def test_visit_rules_on_hand_made_events() -> None:
    """A visit's active time leaves out stretches over 5 minutes (exactly 5 counts); a review visit
    holds a verdict of its member on its image, its ends included; whole visits go to their end day
    and their job."""
    t0 = 19_849 * DAY_MS + DAY_MS - 400_000  # 6 min 40 s before midnight
    accepted, done = REVIEW_CODE["accepted"], REVIEW_CODE["done"]
    buffer = EventBuffer()
    status = ACTION_CODE["image_review_status_updated"]
    buffer.emit(1, ACTION_CODE["login"], t0)
    buffer.emit(1, ACTION_CODE["update_figure"], t0 + 300_000, image_id=7, job_id=70)  # 5 min after the start
    buffer.emit(1, status, t0 + 600_001, image_id=7, job_id=70, code=accepted, subject_user_id=2)  # 5 min 1 ms
    buffer.emit(1, ACTION_CODE["annotation_duration"], t0 + 600_001, image_id=7, job_id=70, num=600_001)
    buffer.emit(1, status, t0 + 700_000, image_id=8, job_id=80, code=accepted, subject_user_id=2)  # no visit
    buffer.emit(1, ACTION_CODE["annotation_duration"], t0 + 800_000, image_id=8, job_id=80, num=50_000)
    buffer.emit(2, status, t0 + 10_000, image_id=9, job_id=90, code=done)
    buffer.emit(2, ACTION_CODE["annotation_duration"], t0 + 20_000, image_id=9, job_id=90, num=20_000)
    buffer.emit(3, status, t0 + 15_000, image_id=9, job_id=90, code=accepted, subject_user_id=2)  # not 2's verdict
    batch = buffer.to_batch()
    index, active, review = visit_measures(batch)
    assert index.tolist() == [3, 5, 7]
    assert active.tolist() == [300_000, 50_000, 20_000]
    assert review.tolist() == [True, False, False]

    users = UserDayTruth()
    users.add(batch)
    daily = {(r["user_id"], r["activity_date"].day): r for r in users.flush(team_id=1, before_day=None).to_pylist()}
    # Member 1's first visit ends past midnight: all of it goes to that day; user_daily splits it.
    assert (daily[(1, 7)]["review_visits"], daily[(1, 7)]["review_seconds"]) == (1, 300.0)
    assert daily[(1, 6)]["review_visits"] == 0
    assert daily[(1, 6)]["active_labeling_seconds"] + daily[(1, 7)]["active_labeling_seconds"] == 350.0
    jobs = {(r["user_id"], r["job_id"]): r for r in users.flush_jobs(team_id=1, before_day=None).to_pylist()}
    assert set(jobs) == {(1, 70), (1, 80), (2, 70), (2, 80), (2, 90), (3, 90)}  # 2 labeled 7 and 8 earlier
    assert (jobs[(2, 70)]["events"], jobs[(2, 70)]["accepted_as_labeler"]) == (0, 1)
    assert (jobs[(1, 70)]["active_labeling_seconds"], jobs[(1, 70)]["review_seconds"]) == (300.0, 300.0)
    assert (jobs[(1, 80)]["active_labeling_seconds"], jobs[(1, 80)]["review_seconds"]) == (50.0, 0.0)
    assert jobs[(1, 80)]["activity_date"].day == 7
    assert (jobs[(2, 90)]["events"], jobs[(2, 90)]["accepted_as_labeler"]) == (2, 1)
    assert (jobs[(3, 90)]["events"], jobs[(3, 90)]["accepted_as_reviewer"], jobs[(3, 90)]["visits"]) == (1, 1, 0)
    empty = UserDayTruth().flush_jobs(team_id=1, before_day=None)
    assert empty is not None and empty.num_rows == 0 and empty.schema == users.flush_jobs(1, None).schema
