"""The platform's `teams.activity` method, called the way its SDK calls it, with retries.

A POST to `<server>/public/api/v3/teams.activity` with the token in `x-api-key`; one call per page.
Timeouts (408), rate limits (429), server and gateway errors (5xx but 501/505), dropped connections,
bodies that cannot be decoded and bodies that are not JSON (a transfer cut short) are retried with
exponential backoff (tenacity), honouring `Retry-After`. A refused token, a missing method or a page
of the wrong shape stop the run: retrying cannot mend them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import tenacity

from .. import __version__

METHOD = "public/api/v3/teams.activity"
RETRY_STATUSES = frozenset({408, 429} | set(range(500, 600)) - {501, 505})
RETRIED_ERRORS = (httpx.TransportError, httpx.DecodingError)


class ExtractError(Exception):
    """A failure retrying cannot mend; the message says what to do."""


class TransientError(Exception):
    """A failure worth another attempt (rate limit, server error, a body cut short)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Page:
    total: int
    per_page: int
    pages_count: int
    entities: list[dict[str, Any]]
    server_time: datetime | None = None  # the response's Date header: the platform's clock


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 8  # per page, the first included
    initial_wait: float = 1.0  # seconds, doubled each attempt, with jitter
    max_wait: float = 60.0  # cap on one wait, Retry-After included

    def validate(self) -> None:
        if self.attempts < 1 or self.initial_wait < 0 or self.max_wait < 0:
            raise ValueError("attempts must be at least 1, waits 0 or more seconds")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:  # an HTTP date: rare, and the backoff is a fine substitute
        return None


def _server_time(response: httpx.Response) -> datetime | None:
    try:
        return parsedate_to_datetime(response.headers["date"]).astimezone(timezone.utc)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, RETRIED_ERRORS):
        return f"connection failed ({type(error).__name__}: {str(error) or 'no detail'})"
    return str(error)


def parse_page(body: bytes, url: str, server_time: datetime | None = None) -> Page:
    """The page in a 200 response; TransientError when it is not JSON (cut short), ExtractError when
    it is JSON of another shape."""
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TransientError(f"the response of {url} is not valid JSON ({error}); it may have been cut short") from None
    fields = ("total", "perPage", "pagesCount", "entities")
    if not isinstance(document, dict) or any(field not in document for field in fields):
        shape = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise ExtractError(
            f"malformed response from {url}: expected a page with {', '.join(fields)}, got {shape}. "
            "Is --server-address the platform's address?"
        )
    entities = document["entities"]
    counts = (document["total"], document["perPage"], document["pagesCount"])
    if not isinstance(entities, list) or not all(isinstance(count, int) and count >= 0 for count in counts):
        raise ExtractError(f"malformed response from {url}: total/perPage/pagesCount must be counts, entities a list")
    bad = next((entity for entity in entities if not isinstance(entity, dict)), None)
    if bad is not None:
        raise ExtractError(f"malformed response from {url}: an entity is not a record: {json.dumps(bad)[:200]}")
    return Page(*counts, entities, server_time)


class ActivityApi:
    """One HTTP client for a run; `page()` returns one page of a team's activity."""

    def __init__(
        self,
        server: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 120.0,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        if not server.startswith(("http://", "https://")):
            raise ValueError(f"the server address must start with http:// or https://, got {server!r}")
        self.url = f"{server.rstrip('/')}/{METHOD}"
        self.retry = retry or RetryPolicy()
        self.retry.validate()
        if timeout <= 0:
            raise ValueError(f"the timeout must be positive, got {timeout}")
        self.retries = 0
        self._on_retry = on_retry or (lambda message: None)
        self._client = httpx.Client(
            headers={"x-api-key": token, "user-agent": f"labeling-analytics/{__version__}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ActivityApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page(self, team_id: int, filters: list[dict[str, Any]], page: int, per_page: int) -> Page:
        body = {"teamId": team_id, "filter": filters, "page": page, "per_page": per_page}
        backoff = tenacity.wait_exponential_jitter(multiplier=self.retry.initial_wait, max=self.retry.max_wait)

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, TransientError) and error.retry_after is not None:
                return min(error.retry_after, self.retry.max_wait)
            return backoff(state)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            self.retries += 1
            error = state.outcome.exception() if state.outcome else None
            wait_s = state.next_action.sleep if state.next_action else 0.0
            self._on_retry(
                f"page {page}: {_describe(error) if error else 'failed'}; "
                f"retrying in {wait_s:.1f} s (attempt {state.attempt_number + 1} of {self.retry.attempts})"
            )

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((*RETRIED_ERRORS, TransientError)),
            stop=tenacity.stop_after_attempt(self.retry.attempts),
            wait=wait,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return retrying(self._call, body)
        except (*RETRIED_ERRORS, TransientError) as error:
            hint = " Is the server address right, and the server up?" if isinstance(error, httpx.ConnectError) else ""
            if isinstance(error, TransientError) and error.retry_after and error.retry_after > self.retry.max_wait:
                hint += f" The server asked to wait {error.retry_after:.0f} s: raise --max-wait."
            raise ExtractError(
                f"gave up on page {page} after {self.retry.attempts} attempts: {_describe(error)}.{hint} "
                "Nothing was lost: run the same command again later (it starts from the same mark)."
            ) from None

    def _call(self, body: dict[str, Any]) -> Page:
        response = self._client.post(self.url, json=body)
        status = response.status_code
        if status in RETRY_STATUSES:
            raise TransientError(f"HTTP {status} from {self.url}", _retry_after(response))
        if status in (401, 403):
            raise ExtractError(
                f"the server refused the token (HTTP {status}): set API_TOKEN to the API token of a member of "
                f"team {body['teamId']} (the platform's account settings show it)"
            )
        if status == 404:
            raise ExtractError(
                f"{self.url} was not found (HTTP 404): is --server-address (or SERVER_ADDRESS) the address of the "
                "platform, such as https://app.supervisely.com?"
            )
        if 300 <= status < 400:
            raise ExtractError(
                f"HTTP {status} from {self.url}: the server moves it to {response.headers.get('location')}; "
                "give that address (often https:// rather than http://) as --server-address"
            )
        if status != 200:
            raise ExtractError(f"HTTP {status} from {self.url}: {response.text[:300]}")
        kind = response.headers.get("content-type", "application/json")
        if "json" not in kind:  # a web page (a login proxy, a catch-all route), not a cut-off answer
            raise ExtractError(
                f"{self.url} answered with {kind.split(';')[0]}, not JSON: is --server-address the platform's "
                "API address (behind no login page)?"
            )
        return parse_page(response.content, self.url, _server_time(response))
