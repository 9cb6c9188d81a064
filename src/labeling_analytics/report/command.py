"""`labeling-analytics report`: an offline HTML dashboard from the marts of a built warehouse."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..argtypes import iso_day, positive_int
from .data import Selection, load_payload
from .html import render_html

DEFAULT_DATABASE = "warehouse/labeling_analytics.duckdb"  # profiles/profiles.yml, target dev
DEFAULT_OUT = Path("reports/labeling-report.html")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "report",
        help="write a self-contained HTML dashboard of the marts (opens offline in any browser)",
        description=(
            "Read the marts of a built DuckDB warehouse (read-only) and write one HTML file with the team "
            "activity heatmap, labeling time and speed per member, acceptance rates, the review funnel, figure "
            "lifecycle and the members table, filterable by team and period in the page. Build the warehouse "
            "first: make build."
        ),
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("LABELING_ANALYTICS_DUCKDB_PATH") or DEFAULT_DATABASE),
        help=f"the warehouse file (default: LABELING_ANALYTICS_DUCKDB_PATH, else {DEFAULT_DATABASE})",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the HTML file to write (default %(default)s)")
    parser.add_argument(
        "--team-id",
        type=positive_int,
        nargs="+",
        action="extend",
        default=[],
        metavar="N",
        help="only these teams (default: every team in the warehouse)",
    )
    parser.add_argument("--since", type=iso_day, help="first day to include, YYYY-MM-DD (default: the data's first)")
    parser.add_argument("--until", type=iso_day, help="last day to include, YYYY-MM-DD (default: the data's last)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    payload = load_payload(args.database, Selection(tuple(args.team_id), args.since, args.until))
    page = render_html(payload)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed: a browser showing the old report never reads half a file.
    partial = out.with_name(f".{out.name}.tmp")
    try:
        partial.write_text(page, encoding="utf-8")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    size = out.stat().st_size
    members = len(payload["members"]["user_id"])
    teams = ", ".join(map(str, payload["teams"]))
    print(
        f"wrote {out} ({size / 2**20:.1f} MiB, {size:,} bytes): team(s) {teams}, {members} members, "
        f"{payload['first_day']} to {payload['last_day']}"
    )
    print(f"open it in a browser: {out.resolve().as_uri()}")
    return 0
