"""Instants and durations on the command line, and the text the API's `date` filter takes."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_ISO = re.compile(
    r"^(?P<head>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?$"
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 3600}


def from_iso(text: str) -> datetime:
    """An ISO-8601 date and time with any number of fraction digits and `Z`, on every Python the
    project supports (3.10's fromisoformat reads neither); naive when the text has no zone."""
    match = _ISO.match(text.strip())
    if not match:
        return datetime.fromisoformat(text)  # a plain date, or a ValueError
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    zone = match["zone"] or ""
    zone = "+00:00" if zone in ("Z", "z") else zone if len(zone) != 5 else f"{zone[:3]}:{zone[3:]}"
    return datetime.fromisoformat(f"{match['head']}.{fraction}{zone}")


def record_instant(value: object) -> datetime | None:
    """A record's `date` in UTC (naive when it names no zone), or None when it is not a readable date."""
    if not isinstance(value, str):
        return None
    try:
        instant = from_iso(value)
    except ValueError:
        return None
    return instant.astimezone(timezone.utc) if instant.tzinfo else instant


def parse_instant(text: str) -> datetime:
    """`2024-05-01` (midnight UTC), or an ISO-8601 date and time (`Z`, an offset, or UTC when none)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        instant = from_iso(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (2024-05-01) or an ISO time (2024-05-01T12:00:00Z)") from None
    return instant.replace(tzinfo=timezone.utc) if instant.tzinfo is None else instant.astimezone(timezone.utc)


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `24h`, `2d` (a bare number is hours)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration such as 30m, 24h or 2d")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def format_duration(span: timedelta) -> str:
    """The shortest of 2d, 24h, 30m, 90s that is exact."""
    seconds = span.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def api_time(instant: datetime) -> str:
    """The platform's own spelling: UTC with milliseconds and `Z`."""
    utc = instant.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def utc_now() -> datetime:
    """Now, to the millisecond (the API's precision)."""
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
