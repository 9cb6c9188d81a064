"""One team's run: ask for the window, page through it, keep the new events, move the mark.

The window ends at `until` (now by default) and starts at the mark of the last run minus the overlap,
so events the platform wrote late, or while the last run was paging, are asked for again. Pages are
requested the way the SDK does (1..pagesCount); when the total changes while paging (events came in
and shifted the pages), the window is paged again, up to `max_passes` times. The mark moves only after
the day files are in place: a run that dies is simply run again.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .api import ActivityApi, ExtractError
from .files import DayFiles
from .state import load_state, save_state, team_lock
from .window import api_time, format_duration, utc_now

CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class RunOptions:
    out: Path
    since: datetime | None = None
    until: datetime | None = None
    overlap: timedelta = timedelta(hours=24)
    per_page: int = 20000  # the SDK's default
    max_passes: int = 3
    progress: bool = True


@dataclass
class TeamSummary:
    team_id: int
    since: str | None
    until: str
    passes: int = 0
    pages: int = 0
    received: int = 0
    new: int = 0
    known: int = 0
    files: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    retries: int = 0
    stable: bool = True  # the last pass saw the same total on every page
    mark: str | None = None
    seconds: float = 0.0

    def describe(self, overlap: timedelta) -> str:
        window = f"{self.since or 'the beginning'} .. {self.until}"
        days = f"{self.days[0]} .. {self.days[-1]}" if len(self.days) > 1 else "".join(self.days) or "none"
        return (
            f"team {self.team_id}: {window}: {self.pages:,} pages in {self.passes} pass(es), {self.received:,} events "
            f"received; {self.new:,} new in {len(self.files)} file(s) (days: {days}), {self.known:,} already "
            f"extracted; {self.retries} retries; {self.seconds:.1f} s. Next run asks from the mark "
            f"{self.mark} minus the {format_duration(overlap)} overlap."
        )


def _date_filters(since: datetime | None, until: datetime) -> list[dict[str, Any]]:
    filters = [{"field": "date", "operator": "<=", "value": api_time(until)}]
    if since is not None:
        filters.insert(0, {"field": "date", "operator": ">=", "value": api_time(since)})
    return filters


def extract_team(
    api: ActivityApi, server: str, team_id: int, options: RunOptions, log: Callable[[str], None]
) -> TeamSummary:
    started = time.monotonic()
    team_dir = options.out / f"team_id={team_id}"
    with team_lock(team_dir):
        state = load_state(team_dir, team_id, server)
        if state.server != server:
            log(f"team {team_id}: the last run used {state.server}; this one uses {server}")
        now = utc_now()
        until = options.until or now
        since = options.since
        if since is None and state.mark_time is not None:
            since = state.mark_time - options.overlap
            if since > until:
                raise ValueError(
                    f"the mark {state.mark} minus the overlap is after --until ({api_time(until)}): "
                    "give a later --until, or --since"
                )
        if since is None:
            log(f"team {team_id}: no earlier run in {team_dir}: asking for the whole log up to {api_time(until)}")
        if since is not None and since > until:
            raise ValueError(f"--since ({api_time(since)}) is after --until ({api_time(until)})")
        summary = TeamSummary(team_id, api_time(since) if since else None, api_time(until))
        files = DayFiles(team_dir, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ"))
        if leftovers := files.remove_leftovers():
            log(f"team {team_id}: removed {leftovers} unfinished file(s) of an interrupted run")
        retries_before = api.retries
        try:
            server_now = _page_through(api, team_id, _date_filters(since, until), files, summary, options, log)
        except (Exception, KeyboardInterrupt):
            files.discard()
            raise
        summary.files = [path.relative_to(options.out).as_posix() for path in files.commit()]
        summary.days = sorted({Path(name).parent.name for name in summary.files})
        summary.received, summary.new, summary.known = files.received, files.new_committed, files.known
        summary.retries = api.retries - retries_before
        # Events are stamped by the platform's clock: the mark never passes its "now" (nor ours), so a
        # future --until or a clock running ahead cannot make the next run skip what is written meanwhile.
        if server_now is not None and until > server_now + CLOCK_TOLERANCE:
            log(
                f"team {team_id}: --until is {until - server_now} ahead of the server's clock: the mark uses the latter"
            )
        reached = min(until, now, server_now or now)
        if options.since is None or state.mark_time is None or options.since <= state.mark_time:
            state.advance(reached)
        else:
            log(f"team {team_id}: --since is after the mark {state.mark}: the mark stays (the gap was not asked for)")
        summary.mark = state.mark
        summary.seconds = round(time.monotonic() - started, 3)
        state.server, state.runs, state.last_run = server, state.runs + 1, asdict(summary)
        save_state(team_dir, state)
    return summary


def _page_through(
    api: ActivityApi,
    team_id: int,
    filters: list[dict[str, Any]],
    files: DayFiles,
    summary: TeamSummary,
    options: RunOptions,
    log: Callable[[str], None],
) -> datetime | None:
    """Page the window until a pass sees one total on every page and receives that many events;
    return the server's clock at the first page."""
    server_now = None
    # A bar on a terminal; elsewhere (cron, CI) a line every 30 s, which reads well in a log file.
    interactive = options.progress and sys.stderr.isatty()
    last_line = time.monotonic()
    with tqdm(desc=f"team {team_id}", unit="page", disable=not interactive, leave=False) as bar:
        for summary.passes in range(1, options.max_passes + 1):
            totals, received, page = set(), 0, 1
            while True:
                result = api.page(team_id, filters, page, options.per_page)
                server_now = server_now or result.server_time
                totals.add(result.total)
                received += len(result.entities)
                files.add(result.entities)
                summary.pages += 1
                bar.total = summary.pages + max(result.pages_count - page, 0)
                bar.update(1)
                bar.set_postfix(events=files.received, new=files.new, refresh=False)
                if options.progress and not interactive and time.monotonic() - last_line >= 30:
                    last_line = time.monotonic()
                    log(
                        f"team {team_id}: page {page} of {result.pages_count} (pass {summary.passes}), "
                        f"{files.received:,} events received, {files.new:,} new"
                    )
                if not result.entities or page >= result.pages_count:
                    break
                page += 1
            summary.stable = len(totals) == 1
            if summary.stable and received >= result.total:
                return server_now
            if summary.stable:
                log(f"team {team_id}: the server said {result.total:,} events and sent {received:,}: paging again")
            else:
                log(
                    f"team {team_id}: events came in while paging (total {min(totals):,} -> {max(totals):,}): "
                    "paging the window again"
                )
    if summary.stable:  # short every time: the mark must not move past events never received
        raise ExtractError(
            f"the server said {result.total:,} events for the window and sent {received:,}, "
            f"{options.max_passes} times: nothing was written. Ask for a shorter window (--since/--until), "
            "or a smaller --per-page"
        )
    log(
        f"team {team_id}: the log still changed on pass {summary.passes}; events added meanwhile are asked for "
        "again by the next run (overlap)"
    )
    return server_now
