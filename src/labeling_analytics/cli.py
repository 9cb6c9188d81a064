"""The `labeling-analytics` command."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from pathlib import Path

from .bench.command import add_parser as _add_bench
from .extract.command import add_parser as _add_extract
from .extract.command import add_serve_parser as _add_serve
from .load.command import add_parser as _add_load
from .report.command import add_parser as _add_report
from .simulator import FORMATS, TRUTH_DIR, NoiseRates, SimulationConfig, simulate
from .simulator.config import EVENTS_PER_MEMBER_DAY

MAX_TEAM_SIZE = 100  # --events grows the number of teams past this: a day of one team is held in memory


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a rate lies between 0 and 1, got {text}")
    return value


def _add_simulate(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    defaults, noise = SimulationConfig(), NoiseRates()
    parser = commands.add_parser(
        "simulate",
        help="write the activity exports of simulated labeling teams, with the ground truth",
        description=(
            "Simulate labeling teams and write their activity exports under --out (team_id=<n>/<day>/...), "
            f"with the ground truth as Parquet in --out/{TRUTH_DIR}/. Point the warehouse at --out: "
            "LABELING_ANALYTICS_RAW_DIR=<out> make build."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the exports (new or empty)")
    parser.add_argument("--teams", type=int, help=f"number of teams (default {defaults.teams})")
    parser.add_argument("--users", type=int, help=f"members per team (default {defaults.users})")
    parser.add_argument("--days", type=int, help=f"days of activity (default {defaults.days})")
    parser.add_argument(
        "--events",
        type=int,
        help=(
            "approximate number of events: sets --users (or --days, when --users is given); "
            f"without --teams, teams of at most {MAX_TEAM_SIZE} members"
        ),
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed (default %(default)s)")
    parser.add_argument("--start", type=date.fromisoformat, default=defaults.start, help="first day, YYYY-MM-DD")
    parser.add_argument("--format", choices=FORMATS, default=defaults.format, help="export shape (default jsonl)")
    parser.add_argument("--page-size", type=int, default=defaults.page_size, help="records per API page")
    parser.add_argument("--duplicate-rate", type=_rate, default=noise.duplicate, help="share of events sent twice")
    parser.add_argument("--late-rate", type=_rate, default=noise.late, help="share of member-days delivered late")
    parser.add_argument("--bad-rate", type=_rate, default=noise.bad, help="malformed rows per event")
    parser.add_argument("--out-of-order-rate", type=_rate, default=noise.out_of_order, help="share of files unsorted")
    parser.add_argument(
        "--no-noise",
        action="store_true",
        help="clean exports: every rate 0, rows in time order (API pages newest first)",
    )
    parser.add_argument("--force", action="store_true", help="replace an earlier simulation in --out")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run_simulate)


def _size(args: argparse.Namespace) -> tuple[int, int, int]:
    """Teams, members per team and days, from the options given (--events fills in the rest,
    rounding up to whole members and days)."""
    defaults = SimulationConfig()
    teams, users, days = args.teams, args.users, args.days
    if args.events is not None:
        if args.events < 1:
            raise ValueError(f"--events must be at least 1, got {args.events}")
        if users is not None and days is not None:
            raise ValueError("give at most two of --users, --days and --events")
        member_days = args.events / EVENTS_PER_MEMBER_DAY
        if users is None:
            days = defaults.days if days is None else days
            members = max(3, math.ceil(member_days / max(days, 1)))
            teams = math.ceil(members / MAX_TEAM_SIZE) if teams is None else teams
            users = max(3, math.ceil(members / max(teams, 1)))
        else:
            teams = defaults.teams if teams is None else teams
            days = max(1, math.ceil(member_days / max(users * teams, 1)))
    return _given(teams, defaults.teams), _given(users, defaults.users), _given(days, defaults.days)


def _given(value: int | None, default: int) -> int:
    """The option's value when given (0 included: the config rejects it with a clear message)."""
    return default if value is None else value


def _run_simulate(args: argparse.Namespace) -> int:
    teams, users, days = _size(args)
    rates = NoiseRates(args.duplicate_rate, args.late_rate, args.bad_rate, args.out_of_order_rate)
    if args.no_noise:
        rates = NoiseRates(0.0, 0.0, 0.0, 0.0)
    config = SimulationConfig(
        teams=teams,
        users=users,
        days=days,
        start=args.start,
        seed=args.seed,
        format=args.format,
        page_size=args.page_size,
        noise=rates,
    )
    config.validate()
    print(f"simulating {config.teams} team(s) x {config.users} members x {config.days} days (seed {config.seed})")
    summary = simulate(config, args.out, force=args.force, progress=not args.quiet)
    print(
        f"wrote {summary.events:,} events in {summary.files:,} files under {args.out} "
        f"({summary.duplicates:,} duplicate deliveries, {summary.bad_rows:,} malformed rows; "
        f"{summary.raw_rows:,} raw rows) in {summary.seconds:.1f} s "
        f"= {summary.events / max(summary.seconds, 1e-9):,.0f} events/s"
    )
    print(f"ground truth: {args.out / TRUTH_DIR}/ ({', '.join(f'{k} {v:,}' for k, v in summary.truth_rows.items())})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labeling-analytics", description="Tools around the labeling-analytics dbt warehouse."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_simulate(commands)
    _add_bench(commands)
    _add_load(commands)
    _add_extract(commands)
    _add_serve(commands)
    _add_report(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (ValueError, OSError) as error:  # bad options, or an --out that cannot be written
        print(f"labeling-analytics {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
