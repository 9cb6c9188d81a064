"""Run one child process and measure it on its own: wall-clock time and its own peak memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

HEARTBEAT_SECONDS = 15.0


class Clock:
    """Log lines stamped with the time since the bench started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def say(self, message: str) -> None:
        print(f"[{self.elapsed():7.1f} s] {message}", flush=True)


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss_mib: float
    exit_code: int
    log: Path

    def tail(self, lines: int = 40) -> str:
        """The last lines of the output; for dbt, from its summary of what failed, which comes
        after a line per skipped node that would otherwise fill the view."""
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        summary = next((i for i in range(len(text) - 1, -1, -1) if "Completed with" in text[i]), 0)
        return "\n".join(text[summary:][-lines:])


def run_child(label: str, command: list[str], *, env: dict[str, str], cwd: Path, log: Path, clock: Clock) -> ChildRun:
    """Run `command` with its output in `log`, printing a progress line every few seconds.

    The peak memory is the child's own `ru_maxrss` from wait4 (KiB on Linux): RUSAGE_CHILDREN
    would give the largest of all children so far, hiding a smaller step behind a bigger one."""
    log.parent.mkdir(parents=True, exist_ok=True)
    latest = [""]  # the child's last output line, shown by the heartbeat
    finished = threading.Event()
    clock.say(f"{label}: $ {' '.join(command)}")
    with log.open("w", encoding="utf-8") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
        assert child.stdout is not None
        reader = threading.Thread(target=_copy, args=(child.stdout, sink, latest), daemon=True)
        beat = threading.Thread(target=_heartbeat, args=(label, started, latest, finished, clock), daemon=True)
        reader.start()
        beat.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        finished.set()
        # wait4 reaped the child: tell Popen, so that it does not try to wait for it again.
        child.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
        beat.join()
        child.stdout.close()
    run = ChildRun(seconds, usage.ru_maxrss / 1024, child.returncode, log)
    outcome = "done" if run.exit_code == 0 else f"FAILED (exit {run.exit_code})"
    clock.say(f"{label}: {outcome} in {run.seconds:.1f} s, peak RSS {run.peak_rss_mib:,.0f} MiB")
    return run


def _copy(source: IO[str], sink: IO[str], latest: list[str]) -> None:
    for line in source:
        sink.write(line)
        if line.strip():
            latest[0] = line.strip()


def _heartbeat(label: str, started: float, latest: list[str], finished: threading.Event, clock: Clock) -> None:
    while not finished.wait(HEARTBEAT_SECONDS):
        clock.say(f"{label}: running for {time.perf_counter() - started:.0f} s; last output: {latest[0][:110]}")
