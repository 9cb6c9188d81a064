"""`labeling-analytics report` on the simulated two-team warehouse: the numbers it embeds are the
marts', and Chromium renders every view from the file alone (any request to the network fails the test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from playwright.sync_api import Browser, Page

from labeling_analytics.cli import main
from labeling_analytics.report.html import json_for_script, render_html

from .browser import chromium, watched_page
from .conftest import PROJECT_ROOT, Build, output_dir

CHARTS = (
    "chart-activity-heatmap",
    "chart-labeling-hours",
    "chart-labeling-speed",
    "chart-acceptance-rate",
    "chart-review-funnel",
    "chart-figure-lifecycle",
)
DATA_SCRIPT = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.DOTALL)

# What a chart holds once Plotly drew it: its traces, whether one has values, and its SVG.
CHART_STATE = """
ids => ids.map(id => {
  const el = document.getElementById(id);
  const traces = el.data || [];
  const values = t => ["x", "y", "z"].flatMap(k => Array.isArray(t[k]) ? t[k].flat() : [])
    .concat(t.link && t.link.value ? t.link.value : []);
  return {
    id,
    traces: traces.length,
    filled: traces.some(t => values(t).some(v => v !== null && v !== 0 && v !== "")),
    svg: el.querySelector(".main-svg") !== null,
    empty: el.closest(".card").classList.contains("is-empty"),
  };
})
"""


@dataclass(frozen=True)
class Report:
    path: Path
    payload: dict[str, Any]
    stdout: str


def payload_of(html: str) -> dict[str, Any]:
    found = DATA_SCRIPT.search(html)
    assert found, "no embedded data"
    return json.loads(found.group(1))


def run_report(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, from the project root (as `make report` runs it)."""
    command = [str(Path(sys.executable).with_name("labeling-analytics")), "report", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture(scope="module")
def warehouse(simulated: tuple[Path, Build]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = simulated[1].connect()
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def report(simulated: tuple[Path, Build], tmp_path_factory: pytest.TempPathFactory) -> Report:
    out = tmp_path_factory.mktemp("report") / "nested" / "report.html"
    result = run_report("--database", str(simulated[1].database), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"wrote {out} (" in result.stdout and "MiB" in result.stdout
    return Report(out, payload_of(out.read_text(encoding="utf-8")), result.stdout)


def member_sums(payload: dict[str, Any], first: date | None = None, last: date | None = None) -> dict[tuple, dict]:
    """Per (team, user): the payload's day rows summed, as member_performance names them."""
    members, days = payload["members"], payload["days"]
    start = date.fromisoformat(payload["first_day"])
    sums: dict[tuple, dict] = {}
    for row, member in enumerate(days["member"]):
        day = start + timedelta(days=days["day"][row])
        if (first and day < first) or (last and day > last):
            continue
        key = (members["team_id"][member], members["user_id"][member])
        total = sums.setdefault(key, dict.fromkeys([*MEMBER_COLUMNS.values(), "active_days"], 0))
        for source, name in MEMBER_COLUMNS.items():
            total[name] += days[source][row]
        total["active_days"] += days["events"][row] > 0
    return sums


MEMBER_COLUMNS = {  # payload (user_daily_activity) name -> member_performance name
    "figures_created": "objects_created",
    "items_submitted": "items_submitted",
    "accepted_as_labeler": "accepted_items",
    "rejected_as_labeler": "rejected_items",
    "reviews_performed": "reviews_performed",
    "active_labeling_seconds": "labeling_seconds",
    "review_seconds": "review_seconds",
    "events": "events",
}


def test_the_payload_sums_to_the_member_performance_mart(report: Report, warehouse: duckdb.DuckDBPyConnection) -> None:
    expected = {
        (team, user): row
        for team, user, *row in warehouse.execute(
            """
            select team_id, user_id, sum(active_days), sum(objects_created), sum(items_submitted),
                sum(accepted_items), sum(rejected_items), sum(reviews_performed), sum(labeling_seconds),
                sum(review_seconds)
            from marts.member_performance
            where period = 'day'
            group by all
            """
        ).fetchall()
    }
    got = member_sums(report.payload)
    assert len(report.payload["teams"]) == 2 and set(got) == set(expected)
    names = ["active_days", "objects_created", "items_submitted", "accepted_items", "rejected_items"]
    names += ["reviews_performed", "labeling_seconds", "review_seconds"]
    for key, row in expected.items():
        assert [got[key][name] for name in names] == pytest.approx(row, abs=0.01), key
    events = dict(
        ((team, user), total)
        for team, user, total in warehouse.execute(
            "select team_id, user_id, sum(events) from marts.user_daily_activity group by all"
        ).fetchall()
    )
    assert {key: value["events"] for key, value in got.items()} == events
    labels = dict(
        ((team, user), label)
        for team, user, label in warehouse.execute("select team_id, user_id, user_label from marts.users").fetchall()
    )
    members = report.payload["members"]
    for team, user, label in zip(members["team_id"], members["user_id"], members["label"], strict=True):
        assert label == labels[(team, user)]


def test_the_funnel_and_figure_counts_are_the_marts(report: Report, warehouse: duckdb.DuckDBPyConnection) -> None:
    review = report.payload["review"]
    for team in report.payload["teams"]:
        rows = [i for i, t in enumerate(review["team_id"]) if t == team]
        got = {name: sum(review[name][i] for i in rows) for name in ("submitted", "accepted", "rejected", "reworked")}
        expected = warehouse.execute(
            """
            select
                count(*),
                count(*) filter (where is_accepted),
                count(*) filter (where rejections > 0),
                count(*) filter (where rejections > 0 and resubmissions_after_rejection > 0)
            from marts.image_review_outcomes
            where team_id = ? and submissions > 0
            """,
            [team],
        ).fetchone()
        assert tuple(got.values()) == expected
        assert got["submitted"] > got["rejected"] > 0  # the simulator rejects some items
        figures = report.payload["figures"]
        created = sum(c for t, c in zip(figures["team_id"], figures["created"], strict=True) if t == team)
        assert (created,) == warehouse.execute(
            "select count(*) from marts.figure_lifecycle where team_id = ? and created_at is not null", [team]
        ).fetchone()


def test_team_and_period_options_narrow_the_payload(
    simulated: tuple[Path, Build], report: Report, tmp_path: Path
) -> None:
    first = date.fromisoformat(report.payload["first_day"])
    since, until = first + timedelta(days=1), first + timedelta(days=3)
    out = tmp_path / "team2.html"
    database = str(simulated[1].database)
    result = run_report(
        "--database", database, "--out", str(out), "--team-id", "2", "--since", str(since), "--until", str(until)
    )
    assert result.returncode == 0, result.stderr
    payload = payload_of(out.read_text(encoding="utf-8"))
    assert payload["teams"] == [2] and set(payload["members"]["team_id"]) == {2}
    assert (payload["first_day"], payload["last_day"]) == (str(since), str(until))
    assert set(payload["days"]["day"]) <= {0, 1, 2} and set(payload["review"]["day"]) <= {0, 1, 2}
    assert member_sums(payload) == {
        key: value for key, value in member_sums(report.payload, since, until).items() if key[0] == 2
    }


def test_clear_errors_without_a_warehouse_or_its_marts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--database", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "r.html")]) == 2
    assert "run `make build` first" in capsys.readouterr().err
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert main(["report", "--database", str(tmp_path / "empty.duckdb"), "--out", str(tmp_path / "r.html")]) == 2
    assert "has no marts" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_a_mart_built_before_a_column_existed_is_named_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        for table in ("user_daily_activity", "users", "figure_lifecycle"):
            connection.execute(f"create table marts.{table} (team_id bigint)")
        connection.execute("create table marts.image_review_outcomes (team_id bigint, rejections bigint)")
    assert main(["report", "--database", str(database), "--out", str(tmp_path / "r.html")]) == 2
    error = capsys.readouterr().err
    assert "marts.image_review_outcomes has no resubmissions_after_rejection" in error
    assert f"LABELING_ANALYTICS_DUCKDB_PATH={database} .venv/bin/dbt build --target dev --full-refresh" in error
    assert "--select image_review_outcomes" in error
    assert not (tmp_path / "r.html").exists()


def test_unknown_teams_and_empty_periods_are_refused(
    simulated: tuple[Path, Build], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(simulated[1].database)
    assert main(["report", "--database", database, "--out", str(tmp_path / "r.html"), "--team-id", "7"]) == 2
    assert "no team 7 in the warehouse; its teams: 1, 2" in capsys.readouterr().err
    assert main(["report", "--database", database, "--out", str(tmp_path / "r.html"), "--since", "2030-01-01"]) == 2
    assert "no activity" in capsys.readouterr().err


def test_embedded_text_cannot_close_the_script() -> None:
    payload = {"label": "</script><script>alert(1)</script> & <!-- \u2028"}
    text = json_for_script(payload)
    assert "<" not in text and ">" not in text and json.loads(text) == payload


# ---- the page in a browser ----


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@dataclass
class Session:
    page: Page
    requests: list[str]
    errors: list[str]
    renders: int = 0

    def wait_render(self, count: int = 1) -> None:
        """Until `count` more renders finished (the page counts them on <body>)."""
        self.renders += count
        self.page.wait_for_function(f"Number(document.body.dataset.renderCount) >= {self.renders}", timeout=30_000)

    def charts(self) -> dict[str, dict[str, Any]]:
        return {state["id"]: state for state in self.page.evaluate(CHART_STATE, list(CHARTS))}

    def table_members(self) -> set[tuple[int, int]]:
        rows = self.page.eval_on_selector_all(
            "#members-table tbody tr[data-user-id]", "rows => rows.map(r => [r.dataset.teamId, r.dataset.userId])"
        )
        assert len(rows) == len({tuple(row) for row in rows}), "a member is listed twice"
        return {(int(team), int(user)) for team, user in rows}

    def kpi(self, name: str) -> float | None:
        value = self.page.get_attribute(f"#kpi-{name}", "data-value")
        return None if value in (None, "") else float(value)

    def screenshot(self, name: str) -> None:
        # scrolled, the sticky filter bar would be drawn mid-page; a focused input would show its ring
        self.page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        self.page.screenshot(path=str(output_dir("report") / name), full_page=True)


def open_page(browser: Browser, path: Path, fragment: str = "") -> Session:
    page, log = watched_page(browser, width=1400, height=900)
    session = Session(page, log.remote_requests, log.errors)
    page.goto(path.as_uri() + fragment)
    session.wait_render()
    return session


def marts_totals(
    warehouse: duckdb.DuckDBPyConnection, team: int | None, first: str, last: str
) -> tuple[int, int, float, int, int, int]:
    row = warehouse.execute(
        """
        select sum(events), sum(figures_created), sum(active_labeling_seconds), sum(items_submitted),
            sum(accepted_as_labeler), sum(rejected_as_labeler)
        from marts.user_daily_activity
        where (? is null or team_id = ?) and activity_date between ? and ?
        """,
        [team, team, first, last],
    ).fetchone()
    assert row is not None
    return row


def test_the_page_renders_every_view_offline_and_follows_the_filters(
    browser: Browser, report: Report, warehouse: duckdb.DuckDBPyConnection
) -> None:
    session = open_page(browser, report.path)
    page = session.page
    payload = report.payload

    # everything drawn, with data
    for state in session.charts().values():
        assert state["traces"] > 0 and state["filled"] and state["svg"] and not state["empty"], state
    members = set(warehouse.execute("select distinct team_id, user_id from marts.user_daily_activity").fetchall())
    assert session.table_members() == members
    heatmap_rows = page.evaluate("document.getElementById('chart-activity-heatmap').data[0].y.length")
    assert heatmap_rows == len(members)
    events, objects, seconds, submitted, accepted, rejected = marts_totals(
        warehouse, None, payload["first_day"], payload["last_day"]
    )
    assert session.kpi("events") == events and session.kpi("objects") == objects
    assert session.kpi("labeling-hours") == pytest.approx(seconds, abs=0.05)
    assert session.kpi("acceptance") == pytest.approx(accepted / (accepted + rejected))
    # ticking a member in the table adds their line; the link puts the top members back
    lines = "document.getElementById('chart-labeling-hours').data.length"
    plotted = page.evaluate(lines)
    page.click("#members-table tbody input[type=checkbox]:not(:checked)")
    session.wait_render()
    assert page.evaluate(lines) == plotted + 1 and "ticked" in page.inner_text("#hint-labeling-hours")
    page.click("#reset-plotted")
    session.wait_render()
    assert page.evaluate(lines) == plotted
    assert "All teams (2)" in page.inner_text("#report-subtitle")
    assert "Built " in page.inner_text("#report-build")
    session.screenshot("report-all.png")

    # one team: its members only, everywhere
    page.select_option("#filter-team", "2")
    session.wait_render()
    team_members = {member for member in members if member[0] == 2}
    assert session.table_members() == team_members
    assert page.evaluate("document.getElementById('chart-activity-heatmap').data[0].y.length") == len(team_members)
    team_events = marts_totals(warehouse, 2, payload["first_day"], payload["last_day"])[0]
    assert session.kpi("events") == team_events < events
    assert page.inner_text("#report-subtitle").startswith("Team 2")
    session.screenshot("report-team.png")

    # a 3-day period of that team: totals change, and are the marts' for those days
    first = date.fromisoformat(payload["first_day"]) + timedelta(days=1)
    last = first + timedelta(days=2)
    page.fill("#filter-from", str(first))
    page.fill("#filter-to", str(last))
    session.wait_render(2)
    assert page.evaluate("[window.labelingReport.state.from, window.labelingReport.state.to]") == [1, 3]
    events, objects, seconds, submitted, accepted, rejected = marts_totals(warehouse, 2, str(first), str(last))
    assert session.kpi("events") == events != team_events
    assert session.kpi("objects") == objects
    assert session.kpi("labeling-hours") == pytest.approx(seconds, abs=0.05)
    assert session.kpi("submitted") == submitted
    assert session.kpi("acceptance") == pytest.approx(accepted / (accepted + rejected))
    funnel = page.evaluate("window.labelingReport.view.funnel")
    assert (funnel["submitted"], funnel["rejected"]) == warehouse.execute(
        """
        select count(*), count(*) filter (where rejections > 0) from marts.image_review_outcomes
        where team_id = 2 and submissions > 0 and cast(first_submitted_at as date) between ? and ?
        """,
        [first, last],
    ).fetchone()
    assert f"Submitted<br>{funnel['submitted']:,}" in page.evaluate(
        "document.getElementById('chart-review-funnel').data[0].node.label[0]"
    )
    period_members = set(
        warehouse.execute(
            """
            select team_id, user_id from marts.user_daily_activity
            where team_id = 2 and activity_date between ? and ?
            """,
            [first, last],
        ).fetchall()
    )
    assert session.table_members() == period_members
    assert all(state["filled"] and not state["empty"] for state in session.charts().values())
    # every member's ratios in the table are member_performance's day rows summed over the period,
    # through the performance_ratios formulas (ratios of sums; empty without a denominator)
    cells = page.eval_on_selector_all(
        "#members-table tbody tr[data-user-id]",
        """rows => rows.map(r => [Number(r.dataset.teamId), Number(r.dataset.userId),
            ...['labelingSeconds', 'objects', 'speed', 'secondsPerObject', 'acceptance'].map(
                k => r.querySelector(`td[data-key=${k}]`).dataset.value)])""",
    )
    sums = {
        (team, user): (seconds, objects, accepted, rejected)
        for team, user, seconds, objects, accepted, rejected in warehouse.execute(
            """
            select team_id, user_id, sum(labeling_seconds), sum(objects_created), sum(accepted_items),
                sum(rejected_items)
            from marts.member_performance
            where period = 'day' and team_id = 2 and period_start between ? and ?
            group by team_id, user_id
            """,
            [first, last],
        ).fetchall()
    }
    assert len(cells) == len(sums) and any(cell[6] == "" for cell in cells) and any(cell[4] != "" for cell in cells)
    for team, user, *shown in cells:
        seconds, objects, accepted, rejected = sums[(team, user)]
        expected = [
            seconds,
            objects,
            objects * 3600 / seconds if seconds > 0 else None,
            seconds / objects if objects > 0 else None,
            accepted / (accepted + rejected) if accepted + rejected > 0 else None,
        ]
        for value, want in zip(shown, expected, strict=True):
            assert (value == "" and want is None) or float(value) == pytest.approx(want), (team, user, shown, expected)
    session.screenshot("report-period.png")

    # the members table sorts by a clicked header, both ways
    objects_column = "tbody td[data-key=objects]"
    page.click("#members-table th[data-key=objects]")
    values = page.eval_on_selector_all(objects_column, "cells => cells.map(c => Number(c.dataset.value))")
    assert values == sorted(values, reverse=True) and len(values) == len(period_members)
    page.click("#members-table th[data-key=objects]")
    assert page.eval_on_selector_all(objects_column, "cells => cells.map(c => Number(c.dataset.value))") == sorted(
        values
    )

    # presets: "All" brings the whole period back
    page.click("[data-preset=all]")
    session.wait_render()
    assert session.kpi("events") == team_events

    assert session.requests == []
    assert session.errors == []
    page.context.close()


def test_an_empty_selection_says_so(browser: Browser, report: Report, tmp_path: Path) -> None:
    """A team without activity in the period (the users mart knows it, user_daily_activity does not),
    and a member name that is markup: the page says there is nothing, shows the name as text, and does not fail."""
    payload = json.loads(json.dumps(report.payload))
    payload["teams"].append(99)
    name = "<b>Zoë</b> & </script><script>window.injected = 1</script>"
    payload["members"]["label"][0] = name
    path = tmp_path / "empty.html"
    path.write_text(render_html(payload), encoding="utf-8")

    session = open_page(browser, path, "#team=99")
    page = session.page
    for chart, state in session.charts().items():
        assert state["empty"] and not state["svg"], chart
    messages = page.eval_on_selector_all(".card.is-empty .empty", "els => els.map(e => e.textContent)")
    assert len(messages) == len(CHARTS) and all(m.startswith("No data for this selection") for m in messages)
    assert "No data for this selection" in page.inner_text("#members-table tbody")
    assert page.inner_text("#kpi-events .value") == "—"
    session.screenshot("report-empty.png")

    page.select_option("#filter-team", "all")
    session.wait_render()
    assert page.evaluate("window.injected") is None
    assert name in page.eval_on_selector_all(
        "#members-table tbody td[data-key=display]", "c => c.map(x => x.textContent)"
    )
    assert session.requests == [] and session.errors == []
    page.context.close()
