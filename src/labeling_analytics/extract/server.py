"""A local server that answers `teams.activity` the way the platform does, for trying and testing `extract`.

It serves events (from simulated JSON Lines exports) newest first, in pages of
`{"total", "perPage", "pagesCount", "entities"}`, honours the `date`, `userId`, `projectId`, `jobId`
and `type` filters, checks `x-api-key`, and has a clock: each event becomes visible at an instant
(its date, or later when delivered late), and the clock may move between pages so that new events
appear while a client pages. Faults can be queued (or drawn at a rate): any HTTP status ("429",
"500", "520", "401", ...), a body cut short with a matching length (truncated JSON), a connection
closed mid-body or before any answer, a body that does not decompress, a page of the wrong shape and
a web page ("html"), a page one event short ("short");
"ok" answers normally. `short_pages` leaves the last event out of every page while `total` counts it.
"""

from __future__ import annotations

import bisect
import gzip
import json
import random
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .files import fingerprint
from .window import from_iso

PATH = "/public/api/v3/teams.activity"
TRANSIENT_FAULTS = ("408", "429", "500", "502", "503", "520", "truncated", "cut", "drop", "badgzip")
FILTER_FIELDS = {"userId": "userId", "projectId": "projectId", "jobId": "jobId", "type": "action", "action": "action"}


def epoch_ms(text: str) -> int:
    instant = from_iso(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return int(instant.timestamp() * 1000)


@dataclass
class TeamLog:
    """One team's events in time order (ties in arrival order), each with the instant it becomes visible."""

    dates: list[int] = field(default_factory=list)
    visible: list[int] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


class ActivityLog:
    """What the server serves; every method is safe to call from the test while requests run."""

    def __init__(self, token: str, *, fault_rate: float = 0.0, seed: int = 0) -> None:
        self.token = token
        self.teams: dict[int, TeamLog] = {}
        self.clock_ms: int | None = None  # None: every event is visible
        self.step_ms = 0  # the clock moves this much after each page served
        self.faults: deque[str] = deque()
        self.fault_rate = fault_rate
        self.requests = 0
        self.bodies: list[dict[str, Any]] = []  # every page request, for tests to read
        self.faults_served: list[str] = []
        self.on_request: Callable[[int], None] | None = None
        self.short_pages = False
        self.shuffle_ties = False  # events of one instant come back in another order on every request
        self._last_query: tuple[tuple[object, ...], list[dict[str, Any]]] | None = None
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(
        self, team_id: int, records: Iterable[dict[str, Any]], delay_ms: Callable[[int], int] | None = None
    ) -> None:
        team = self.teams.setdefault(team_id, TeamLog())
        with self._lock:
            for record in records:
                date = epoch_ms(str(record["date"]))
                at = bisect.bisect_right(team.dates, date)
                team.dates.insert(at, date)
                team.visible.insert(at, date + (delay_ms(date) if delay_ms else 0))
                team.records.insert(at, record)

    def served(self, team_id: int) -> list[dict[str, Any]]:
        """The team's events visible now (those a complete extract must end up with)."""
        team = self.teams.get(team_id, TeamLog())
        with self._lock:
            return [r for r, v in zip(team.records, team.visible, strict=True) if self._is_visible(v)]

    def _is_visible(self, visible_ms: int) -> bool:
        return self.clock_ms is None or visible_ms <= self.clock_ms

    def next_fault(self) -> str | None:
        with self._lock:
            self.requests += 1
            if self.faults:
                fault: str | None = self.faults.popleft()
            elif self.fault_rate and self._random.random() < self.fault_rate:
                fault = self._random.choice(TRANSIENT_FAULTS)
            else:
                fault = None
            if fault:
                self.faults_served.append(fault)
            return None if fault == "ok" else fault

    def page(self, body: dict[str, Any]) -> dict[str, Any]:
        """One page of the answer; ValueError for a request the platform would refuse."""
        self.bodies.append(body)
        team_id, page, per_page = body.get("teamId"), body.get("page", 1), body.get("per_page", 20000)
        if not all(isinstance(v, int) for v in (team_id, page, per_page)) or page < 1 or per_page < 1:
            raise ValueError("teamId, page and per_page must be positive integers")
        lo_date, hi_date, checks = None, None, []
        for item in body.get("filter") or []:
            name, operator, value = item.get("field"), item.get("operator"), item.get("value")
            if name == "date" and operator in (">=", "<="):
                if operator == ">=":
                    lo_date = epoch_ms(value)
                else:
                    hi_date = epoch_ms(value)
            elif name in FILTER_FIELDS and operator in ("=", "in"):
                allowed = set(value) if operator == "in" else {value}
                checks.append((FILTER_FIELDS[name], allowed))
            else:
                raise ValueError(f"unsupported filter {item!r}")
        with self._lock:
            team = self.teams.get(team_id, TeamLog())
            lo = 0 if lo_date is None else bisect.bisect_left(team.dates, lo_date)
            hi = len(team.dates) if hi_date is None else bisect.bisect_right(team.dates, hi_date)
            # The next page of the same query on an unchanged log reuses the list: a client paging
            # through a million events should measure the client, not this loop.
            key = (team_id, lo, hi, repr(checks), self.clock_ms, len(team.records), id(team.records))
            if self._last_query and self._last_query[0] == key:
                matching = self._last_query[1]
            else:
                matching = [
                    team.records[i]
                    for i in range(hi - 1, lo - 1, -1)  # newest first
                    if self._is_visible(team.visible[i]) and all(team.records[i].get(k) in ok for k, ok in checks)
                ]
                self._last_query = (key, matching)
            if self.clock_ms is not None:
                self.clock_ms += self.step_ms
        if self.shuffle_ties:
            matching = self._shuffled_ties(matching)
        start = (page - 1) * per_page
        entities = matching[start : start + per_page]
        return {
            "total": len(matching),
            "perPage": per_page,
            "pagesCount": -(-len(matching) // per_page),
            "entities": entities[:-1] if self.short_pages else entities,
        }

    def _shuffled_ties(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for record in records:  # newest first already: dicts keep the order of first appearance
            groups.setdefault(record["date"], []).append(record)
        with self._lock:
            for group in groups.values():
                self._random.shuffle(group)
        return [record for group in groups.values() for record in group]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the platform's front end does
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the tests and the demo print their own lines

    def _send(
        self, status: int, payload: bytes, headers: dict[str, str] | None = None, length: int | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps({"error": message, "details": {"message": message}}).encode(), headers)

    def do_POST(self) -> None:
        log = self.server.log
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path != PATH:
            self._error(404, f"unknown method {self.path}")
            return
        fault = log.next_fault()
        if log.on_request:
            log.on_request(log.requests)
        if fault == "drop":  # no answer at all
            self.close_connection = True
            return
        if fault and fault.isdigit() and fault not in ("401", "403"):
            self._error(int(fault), "rate limit exceeded" if fault == "429" else "unavailable", {"retry-after": "0"})
            return
        if fault in ("401", "403") or self.headers.get("x-api-key") != log.token:
            self._error(int(fault or 401), "invalid token")
            return
        if fault == "malformed":
            self._send(200, b'{"error": "unexpected", "items": []}')
            return
        if fault == "html":  # a login page in front of the API
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", "27")
            self.end_headers()
            self.wfile.write(b"<html>please log in</html>\n")
            return
        try:
            page = log.page(json.loads(body))
            if fault == "short":  # this page leaves its last event out, its total counts it
                page["entities"] = page["entities"][:-1]
            answer = json.dumps(page).encode()
        except (ValueError, AttributeError) as error:
            self._error(400, str(error))
            return
        if fault == "badgzip":  # says gzip, is not
            self._send(200, b"\x1f\x8b not gzip at all", {"content-encoding": "gzip"})
        elif fault == "truncated":  # a complete transfer of half a document
            self._send(200, answer[: len(answer) // 2])
        elif fault == "cut":  # the connection drops mid-body
            self.close_connection = True
            self._send(200, answer[: len(answer) // 2], length=len(answer))
        else:
            self._send(200, answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    log: ActivityLog

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (or was killed) mid-answer is part of the game


class ActivityServer:
    """`with ActivityServer(log) as server:` serves `log` on 127.0.0.1 at `server.address`."""

    def __init__(self, log: ActivityLog, port: int = 0, host: str = "127.0.0.1") -> None:
        self.log = log
        self._httpd = _Server((host, port), _Handler)
        self._httpd.log = log
        self.address = f"http://{host}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> ActivityServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@dataclass
class LoadReport:
    files: int = 0
    events: int = 0
    repeats: int = 0
    skipped: int = 0  # lines that are not a record with a date


def load_exports(log: ActivityLog, raw: Path) -> LoadReport:
    """The distinct records of the JSON Lines exports under `raw`/team_id=<n>/ (malformed lines skipped)."""
    report = LoadReport()
    for team_dir in sorted(raw.glob("team_id=*")):
        team_id = int(team_dir.name.removeprefix("team_id="))
        seen: set[bytes] = set()
        records = []
        for path in sorted(team_dir.rglob("*")):
            if not path.name.endswith((".jsonl", ".jsonl.gz")) or path.name.startswith("."):
                continue
            report.files += 1
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as handle:
                for line in handle:
                    try:
                        record = json.loads(line)
                        epoch_ms(record["date"])
                    except (ValueError, KeyError, TypeError):
                        report.skipped += 1
                        continue
                    key = fingerprint(record)
                    if key in seen:
                        report.repeats += 1
                        continue
                    seen.add(key)
                    records.append(record)
        log.add(team_id, records)
        report.events += len(records)
    if report.files == 0:
        raise ValueError(f"no JSON Lines exports under {raw}/team_id=<n>/: simulate some with --format jsonl")
    return report
