"""`labeling-analytics extract`: the activity of one or more teams, from the platform's API into the raw folder."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from tqdm import tqdm

from ..argtypes import positive_int
from .api import ActivityApi, ExtractError, RetryPolicy
from .files import PREFIX, SUFFIX
from .run import RunOptions, extract_team
from .server import ActivityLog, ActivityServer, load_exports
from .window import api_time, parse_duration, parse_instant


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _log(message: str) -> None:
    """Progress and warnings on stderr (through tqdm, so that a bar on screen is not torn)."""
    tqdm.write(message, file=sys.stderr)


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "extract",
        help="pull teams' activity from the platform's API into the raw folder, incrementally",
        description=(
            "Call the platform's teams.activity method (POST <server>/public/api/v3/teams.activity, token from "
            f"API_TOKEN) and write the new events as <out>/team_id=<n>/<day>/{PREFIX}<run>{SUFFIX}. Each run "
            "asks from the last run's mark minus --overlap; events already extracted are not written again. "
            "Then build: make build RAW_DIR=<out>."
        ),
    )
    parser.add_argument(
        "--server-address",
        default=os.environ.get("SERVER_ADDRESS"),
        help="the platform's address, e.g. https://app.supervisely.com (default: SERVER_ADDRESS)",
    )
    parser.add_argument(
        "--team-id", type=positive_int, action="append", required=True, help="a team to extract (repeat for several)"
    )
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="the raw folder (default data/raw)")
    parser.add_argument(
        "--since", type=_instant, help="first instant to ask for, e.g. 2024-05-01 (default: mark - overlap)"
    )
    parser.add_argument(
        "--until", type=_instant, help="last instant to ask for, e.g. 2024-05-08T00:00:00Z (default: now)"
    )
    parser.add_argument(
        "--overlap",
        type=_duration,
        default=parse_duration("24h"),
        help="how far before the mark to ask again, for events written late (default 24h; 30m, 2d, ...)",
    )
    parser.add_argument("--per-page", type=positive_int, default=20000, help="records per page (default %(default)s)")
    parser.add_argument(
        "--max-passes",
        type=positive_int,
        default=3,
        help="page the window again while it changes, at most this often (default %(default)s)",
    )
    parser.add_argument(
        "--attempts", type=positive_int, default=8, help="attempts per page before giving up (default %(default)s)"
    )
    parser.add_argument(
        "--max-wait", type=float, default=60.0, help="longest wait between attempts, in seconds (default %(default)s)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a page (default %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or progress lines (the summary stays)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.server_address:
        raise ValueError("give --server-address or set SERVER_ADDRESS (e.g. https://app.supervisely.com)")
    if args.since and args.until and args.since > args.until:
        raise ValueError(f"--since ({api_time(args.since)}) is after --until ({api_time(args.until)})")
    token = os.environ.get("API_TOKEN")
    if not token:
        raise ValueError("set API_TOKEN to your API token (the platform's account settings show it)")
    options = RunOptions(
        out=args.out,
        since=args.since,
        until=args.until,
        overlap=args.overlap,
        per_page=args.per_page,
        max_passes=args.max_passes,
        progress=not args.quiet,
    )
    retry = RetryPolicy(attempts=args.attempts, max_wait=args.max_wait)
    started, failed = time.monotonic(), []
    new_events, written, team_days = 0, 0, set()
    with ActivityApi(args.server_address, token, retry=retry, timeout=args.timeout, on_retry=_log) as api:
        for team_id in dict.fromkeys(args.team_id):
            try:
                summary = extract_team(api, args.server_address, team_id, options, log=_log)
            except (ExtractError, httpx.HTTPError, ValueError, OSError) as error:  # the next team may fare better
                print(f"labeling-analytics extract: team {team_id}: error: {error}", file=sys.stderr)
                failed.append(team_id)
                continue
            print(summary.describe(args.overlap))
            new_events += summary.new
            written += len(summary.files)
            team_days.update((team_id, day) for day in summary.days)
    teams = len(dict.fromkeys(args.team_id))
    print(
        f"extracted {new_events:,} new events into {written} file(s) over {len(team_days)} team-day(s) under "
        f"{args.out} for {teams - len(failed)} of {teams} team(s) in {time.monotonic() - started:.1f} s"
    )
    if failed:
        print(f"failed: team(s) {', '.join(map(str, failed))}; nothing of theirs moved; run again", file=sys.stderr)
        return 1
    return 0


def add_serve_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "serve-activity",
        help="serve JSON Lines exports the way the platform's teams.activity does (to try extract)",
        description=(
            "A local stand-in for the platform's API: serves the distinct records of the JSON Lines exports under "
            "--raw/team_id=<n>/ (e.g. a simulation) at <address>/public/api/v3/teams.activity, newest first, in "
            "pages, checking the token. Ctrl-C stops it."
        ),
    )
    parser.add_argument("--raw", type=Path, required=True, help="the exports to serve (team_id=<n>/ folders)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=8765, help="port (default %(default)s; 0 picks a free one)")
    parser.add_argument("--token", default=os.environ.get("API_TOKEN"), help="the token to accept (default: API_TOKEN)")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests answered with a fault (429, 5xx, cut)"
    )
    parser.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    if not args.token:
        raise ValueError("give --token or set API_TOKEN: the token clients must send in x-api-key")
    if not 0.0 <= args.fault_rate <= 1.0:
        raise ValueError(f"--fault-rate lies between 0 and 1, got {args.fault_rate}")
    log = ActivityLog(args.token, fault_rate=args.fault_rate)
    report = load_exports(log, args.raw)
    server = ActivityServer(log, port=args.port, host=args.host)
    print(
        f"serving {report.events:,} events of team(s) {', '.join(map(str, sorted(log.teams)))} from {report.files} "
        f"file(s) ({report.repeats:,} repeated and {report.skipped:,} malformed lines left out) at {server.address}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
