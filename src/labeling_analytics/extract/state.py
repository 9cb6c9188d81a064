"""The per-team state file (the high-water mark) and the lock that keeps two runs of a team apart.

Both are hidden files in the team's folder, which the warehouse ignores: the raw folder carries
its own state, so moving it moves the state.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .api import ExtractError
from .window import api_time, parse_instant

STATE_FILE = ".extract-state.json"
LOCK_FILE = ".extract.lock"


@dataclass
class TeamState:
    team_id: int
    server: str
    mark: str | None = None  # every event up to this instant has been asked for
    runs: int = 0
    last_run: dict[str, Any] = field(default_factory=dict)

    @property
    def mark_time(self) -> datetime | None:
        return parse_instant(self.mark) if self.mark else None

    def advance(self, until: datetime) -> None:
        if self.mark_time is None or until > self.mark_time:
            self.mark = api_time(until)


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes) -> None:
    """Write then rename, with fsyncs: a reader sees the old file or the new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def load_state(team_dir: Path, team_id: int, server: str) -> TeamState:
    path = team_dir / STATE_FILE
    if not path.exists():
        return TeamState(team_id=team_id, server=server)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = TeamState(**data)
        state.mark_time  # noqa: B018 - validates the mark
    except (ValueError, TypeError) as error:
        raise ExtractError(
            f"the state file {path} is unreadable ({error}). Delete it and run again with --since set to the "
            "day of the newest file in that folder: the overlap is deduplicated."
        ) from None
    if state.team_id != team_id:
        raise ExtractError(f"{path} belongs to team {state.team_id}, not {team_id}: is --out the right folder?")
    return state


def save_state(team_dir: Path, state: TeamState) -> None:
    write_atomically(team_dir / STATE_FILE, (json.dumps(asdict(state), indent=2) + "\n").encode())


@contextmanager
def team_lock(team_dir: Path) -> Iterator[None]:
    """Held for the whole run; the kernel releases it if the process dies."""
    team_dir.mkdir(parents=True, exist_ok=True)
    with (team_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExtractError(
                f"another extract of this team is running (it holds {team_dir / LOCK_FILE}); wait for it to finish"
            ) from None
        yield
