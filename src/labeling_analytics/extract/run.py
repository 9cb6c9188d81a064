"""One team's run: ask for the window, page through it, keep the new events, move the mark.

The window ends at `until` (now by default) and starts at the mark of the last run minus the overlap,
so events the platform wrote late, or while the last run was paging, are asked for again. Pages are
requested the way the SDK does (1..pagesCount). A pass counts only when it saw one total on every page
and received that many records (an event repeated on two pages counted once); otherwise the window is
paged again, up to `max_passes` times, and then asked for in two halves (recursively). The mark moves
only after the day files are in place: a run that dies is simply run again.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
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
MAX_SPLIT_DEPTH = 45  # halving a window 45 times goes from centuries down to milliseconds
MILLISECOND = timedelta(milliseconds=1)


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
    known: int = 0  # in the files of earlier runs
    repeated: int = 0  # received more than once in this run (pages asked again)
    files: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    retries: int = 0
    splits: int = 0  # windows asked for in two halves, because paging did not add up
    mark: str | None = None
    seconds: float = 0.0

    def describe(self, overlap: timedelta) -> str:
        window = f"{self.since or 'the beginning'} .. {self.until}"
        days = f"{self.days[0]} .. {self.days[-1]}" if len(self.days) > 1 else "".join(self.days) or "none"
        return (
            f"team {self.team_id}: {window}: {self.pages:,} pages in {self.passes} pass(es), {self.splits} split(s); "
            f"{self.received:,} events received; {self.new:,} new in {len(self.files)} file(s) (days: {days}), "
            f"{self.known:,} already extracted, {self.repeated:,} received twice; {self.retries} retries; "
            f"{self.seconds:.1f} s. "
            f"Next run asks from the mark {self.mark} minus the {format_duration(overlap)} overlap."
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
        if state.server != server and state.mark is not None:
            if options.since is None:  # its mark says nothing about another server's log
                raise ExtractError(
                    f"{team_dir} was extracted from {state.server}, not {server}: give --since to start there "
                    "(events extracted already are not written again), or another --out"
                )
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
        since, until = (_to_ms(since) if since else None), _to_ms(until)
        summary = TeamSummary(team_id, api_time(since) if since else None, api_time(until))
        files = DayFiles(team_dir, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ"))
        if leftovers := files.remove_leftovers():
            log(f"team {team_id}: removed {leftovers} unfinished file(s) of an interrupted run")
        retries_before = api.retries
        window, progress = _Window(api, team_id, files, summary, options), _Progress(team_id, options, log)
        try:
            window.fetch(since, until, progress)
            progress.close()
            written = files.commit()
        except (Exception, KeyboardInterrupt):
            progress.close()
            files.discard()
            raise
        server_now = window.server_now
        summary.files = [path.relative_to(options.out).as_posix() for path in written]
        summary.days = sorted({Path(name).parent.name for name in summary.files})
        summary.received, summary.new, summary.known = files.received, files.new_committed, files.known
        summary.repeated = files.repeated
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


class _Progress:
    """A bar on a terminal; elsewhere (cron, CI) a line every 30 s, which reads well in a log file."""

    def __init__(self, team_id: int, options: RunOptions, log: Callable[[str], None]) -> None:
        self.team_id, self.log, self.enabled = team_id, log, options.progress
        self.interactive = options.progress and sys.stderr.isatty()
        self.bar = tqdm(desc=f"team {team_id}", unit="page", disable=not self.interactive, leave=False)
        self.last_line = time.monotonic()

    def page(self, summary: TeamSummary, files: DayFiles, page: int, pages_count: int) -> None:
        self.bar.total = summary.pages + max(pages_count - page, 0)
        self.bar.update(1)
        self.bar.set_postfix(events=files.received, new=files.new, refresh=False)
        if self.enabled and not self.interactive and time.monotonic() - self.last_line >= 30:
            self.last_line = time.monotonic()
            self.log(
                f"team {self.team_id}: {summary.pages} pages, {files.received:,} events received, {files.new:,} new"
            )

    def close(self) -> None:
        self.bar.close()


@dataclass
class _Pass:
    totals: set[int] = field(default_factory=set)
    received: int = 0
    # Per event, the most times it came in one page. Rows of one answer are distinct rows of the log,
    # so two equal records on one page are two records there (the log may hold one twice); equal
    # records on two pages may be one shifted across the boundary, and count once.
    counts: dict[bytes, int] = field(default_factory=dict)
    oldest: datetime | None = None
    pages_count: int = 0

    @property
    def total(self) -> int:
        return max(self.totals)

    @property
    def complete(self) -> bool:
        """One total on every page, and that many records received, repeats across pages aside."""
        return len(self.totals) == 1 and sum(self.counts.values()) >= self.total

    def count(self, keys: list[bytes]) -> None:
        for key, times in Counter(keys).items():
            if times > self.counts.get(key, 0):
                self.counts[key] = times


class _Window:
    """Fetches a window completely: pages as the SDK does; when passes do not add up (events came in
    and shifted the pages, or events of one instant came back in another order on each page), pages
    again; when that does not help, halves the window in time, down to windows of one page, which
    nothing can shift."""

    def __init__(
        self, api: ActivityApi, team_id: int, files: DayFiles, summary: TeamSummary, options: RunOptions
    ) -> None:
        self.api, self.team_id, self.files, self.summary, self.options = api, team_id, files, summary, options
        self.server_now: datetime | None = None

    def fetch(self, since: datetime | None, until: datetime, progress: _Progress, depth: int = 0) -> None:
        log = progress.log
        for attempt in range(1, self.options.max_passes + 1):
            self.summary.passes += 1
            result = self._pass(since, until, progress)
            if result.complete:
                return
            if len(result.totals) > 1:
                change = f"total {min(result.totals):,} -> {max(result.totals):,}"
                log(f"team {self.team_id}: events came in while paging ({change}): paging again")
            else:
                log(
                    f"team {self.team_id}: pass {attempt} received {sum(result.counts.values()):,} events (repeats "
                    f"across pages aside) of {result.total:,}: paging again"
                )
        if result.pages_count <= 1 and len(result.totals) == 1:  # one page short of its own total every time
            raise ExtractError(
                f"the server said {result.total:,} events for {api_time(since) if since else 'the start'} .. "
                f"{api_time(until)} and sent {result.received:,} in one page, {self.options.max_passes} times; "
                "nothing was written. Is the server capping its answers? Try a smaller --per-page"
            )
        oldest = result.oldest
        del result  # its fingerprints: the halves need memory of their own
        halves = self._halves(since, until, oldest)
        if halves is None or depth >= MAX_SPLIT_DEPTH:
            raise ExtractError(
                f"the window {api_time(since) if since else 'the start'} .. {api_time(until)} did not add up after "
                f"{self.options.max_passes} passes and cannot be split further; nothing was written. Run again, "
                "or with a larger --per-page"
            )
        log(f"team {self.team_id}: paging did not add up: asking for the window in two halves")
        self.summary.splits += 1
        for low, high in halves:
            self.fetch(low, high, progress, depth + 1)

    def _pass(self, since: datetime | None, until: datetime, progress: _Progress) -> _Pass:
        result, page, filters = _Pass(), 1, _date_filters(since, until)
        while True:
            answer = self.api.page(self.team_id, filters, page, self.options.per_page)
            self.server_now = self.server_now or answer.server_time
            result.totals.add(answer.total)
            result.received += len(answer.entities)
            result.pages_count = max(result.pages_count, answer.pages_count)
            keys, oldest = self.files.add(answer.entities)
            result.count(keys)
            if oldest is not None and (result.oldest is None or oldest < result.oldest):
                result.oldest = oldest
            self.summary.pages += 1
            progress.page(self.summary, self.files, page, answer.pages_count)
            if not answer.entities or page >= answer.pages_count:
                return result
            page += 1

    @staticmethod
    def _halves(
        since: datetime | None, until: datetime, oldest: datetime | None
    ) -> list[tuple[datetime | None, datetime]] | None:
        """Windows that cover this one without overlapping, in whole milliseconds (the API's precision;
        both bounds are inclusive): its two halves; with an open start, what lies before the oldest
        event received and the two halves of the rest."""
        if since is None:
            if oldest is None:
                return None
            rest = _Window._halves(oldest, until, None) or [(oldest, until)]
            return [(None, oldest - MILLISECOND), *rest]
        if until <= since:
            return None
        middle = _to_ms(since + (until - since) / 2)
        return [(since, middle), (middle + MILLISECOND, until)]


def _to_ms(instant: datetime) -> datetime:
    """Down to the millisecond, the API's precision."""
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
