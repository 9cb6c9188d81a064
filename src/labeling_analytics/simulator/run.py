"""A whole simulation run: teams day by day, their exports with noise, and the ground truth."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from . import noise
from .catalog import ACTIONS
from .config import EVENTS_PER_MEMBER_DAY, SimulationConfig
from .events import NULL, EventBatch
from .exports import EXTENSIONS, ExportWriter
from .team import TeamSimulator
from .truth import EntityTruth, SessionTruth, TruthWriter, UserDayTruth, ms_timestamps
from .world import DAY

TRUTH_DIR = ".truth"  # hidden: the staging layer skips hidden folders under the raw root
MANIFEST = "manifest.json"
JOURNAL = "written.txt"  # every file a run writes, as it goes: what --force may delete
MIXED_ORDER = ("jsonl", "csv", "parquet", "json-pages")


@dataclass
class RunSummary:
    events: int = 0
    duplicates: int = 0
    bad_rows: int = 0
    files: int = 0
    seconds: float = 0.0
    truth_rows: dict[str, int] = field(default_factory=dict)

    @property
    def raw_rows(self) -> int:
        return self.events + self.duplicates + self.bad_rows


TRUTH_FILES = frozenset(
    {f"{name}.parquet" for name in ("user_daily", "user_job_daily", "sessions", "login_sessions", "figures",
                                     "images", "membership", "bad_rows", "files", "events_by_action")}
    | {MANIFEST, JOURNAL}
)  # fmt: skip
# A run's own half-written export: ExportWriter writes `.<name>.tmp`, then renames it.
_PARTIAL = re.compile(r"\.activity[\w.=-]*\.(jsonl|json|csv|parquet)\.tmp")


def _ours(rel: str, written: set[str]) -> bool:
    parts = rel.split("/")
    if parts[0] == TRUTH_DIR:
        return len(parts) == 2 and parts[1] in TRUTH_FILES
    return rel in written or (parts[0].startswith("team_id=") and _PARTIAL.fullmatch(parts[-1]) is not None)


def prepare_output(out: Path, force: bool) -> None:
    """Refuse to mix a new run with other files; with force, delete the files an earlier run wrote
    (listed in its journal), and only when nothing else is in the folder."""
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {out} is a file: give a folder (new or empty)")
    if out.exists() and any(out.iterdir()):
        journal = out / TRUTH_DIR / JOURNAL
        if not journal.exists():
            raise FileExistsError(
                f"{out} is not empty and holds no earlier simulation: choose an empty or new folder for --out"
            )
        if not force:
            raise FileExistsError(f"{out} holds an earlier simulation: pass --force to replace it")
        written = set(journal.read_text(encoding="utf-8").splitlines())
        entries = list(out.rglob("*"))  # does not enter linked folders: a link is a stranger itself
        files = [p for p in entries if p.is_symlink() or not p.is_dir()]
        strangers = [p for p in files if p.is_symlink() or not _ours(p.relative_to(out).as_posix(), written)]
        if strangers:
            raise FileExistsError(
                f"{out} holds {len(strangers)} file(s) the simulator did not write, such as {strangers[0]}: "
                "move them, or choose another folder for --out"
            )
        for path in files:
            path.unlink()
        for folder in sorted((p for p in entries if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    (out / TRUTH_DIR).mkdir(parents=True, exist_ok=True)
    (out / TRUTH_DIR / JOURNAL).write_text("", encoding="utf-8")  # first, so that a failed run can be replaced


class Run:
    def __init__(self, config: SimulationConfig, out: Path) -> None:
        self.config = config
        self.out = out
        self.writer = ExportWriter()
        self.truth = TruthWriter(out / TRUTH_DIR)
        self.summary = RunSummary()
        self.bad_rows: list[tuple[int, str, int, str]] = []  # team (-1: none), file, row, reason
        self.files: list[tuple[str, int, str, str, int, int, int]] = []
        self.by_action: list[np.ndarray] = []  # (5, n) arrays: team, user, day (epoch), action, events

    def day_folder(self, team_id: int, day: int) -> Path:
        return self.out / f"team_id={team_id}" / (self.config.start + timedelta(days=day)).isoformat()

    def file_format(self, team_id: int, day: int) -> str:
        fmt = self.config.format
        return MIXED_ORDER[(day + team_id) % len(MIXED_ORDER)] if fmt == "mixed" else fmt

    def record(self, path: Path, team_id: int, fmt: str, events: int, duplicates: int, bad: int) -> None:
        rel = path.relative_to(self.out).as_posix()
        with (self.out / TRUTH_DIR / JOURNAL).open("a", encoding="utf-8") as journal:
            journal.write(rel + "\n")
        self.files.append((rel, team_id, fmt, path.parent.name, events, duplicates, bad))
        self.summary.files += 1
        self.summary.events += events
        self.summary.duplicates += duplicates
        self.summary.bad_rows += bad

    # --- one team ------------------------------------------------------------------------
    def run_team(self, team_id: int, seeds: np.random.SeedSequence, bar: tqdm) -> None:
        behaviour_seed, noise_seed = seeds.spawn(2)
        entities = EntityTruth()
        users = UserDayTruth()
        sessions = SessionTruth(team_id)
        team = TeamSimulator(team_id, self.config, np.random.default_rng(behaviour_seed), entities)
        rng = np.random.default_rng(noise_seed)
        start_day = team.start_ms // DAY
        carry = EventBatch.concat([])
        for day in range(self.config.days):
            batch = team.simulate_day(day)
            users.add(batch)
            logins, spans = sessions.login(batch)
            users.add_login_time(*spans)
            self.truth.write("sessions", sessions.labeling(batch))
            self.truth.write("login_sessions", logins)
            pending = EventBatch.concat([carry, batch])
            days = pending["t"] // DAY - start_day
            if (days < day).any():
                raise AssertionError("an event fell before its work day: the time rules of team.py are broken")
            self.write_day(team, day, pending.take(np.flatnonzero(days == day)), rng)
            carry = pending.take(np.flatnonzero(days > day))
            self.truth.write("user_daily", users.flush(team_id, before_day=start_day + day + 1))
            self.truth.write("user_job_daily", users.flush_jobs(team_id, before_day=start_day + day + 1))
            self.truth.write("figures", entities.figure_table() if len(entities.figures) > 20_000 else None)
            self.truth.write("images", entities.image_table() if len(entities.images) > 20_000 else None)
            bar.update(len(batch))
        if len(carry):  # work past midnight of the last day arrives in the next day's folder
            self.write_day(team, self.config.days, carry, rng)
        team.finish()
        self.truth.write("user_daily", users.flush(team_id, before_day=None))
        self.truth.write("user_job_daily", users.flush_jobs(team_id, before_day=None))
        self.truth.write("figures", entities.figure_table())
        self.truth.write("images", entities.image_table())
        self.truth.write("membership", self.membership_table(team))

    def write_day(self, team: TeamSimulator, day: int, events: EventBatch, rng: np.random.Generator) -> None:
        team_id, noise_rates = team.team_id, self.config.noise
        fmt = self.file_format(team_id, day)
        ext = EXTENSIONS[fmt]
        folder = self.day_folder(team_id, day)
        date = folder.name
        self.writer.set_dimensions(team.names(), team.modalities())
        self.count_actions(team_id, events)

        # Late deliveries: all of some members' events of the day arrive 1 to 3 days later.
        users = np.unique(events["user_id"])
        late_users = users[rng.random(len(users)) < noise_rates.late]
        delay = dict(zip(late_users.tolist(), rng.integers(1, 4, len(late_users)).tolist(), strict=True))
        event_delay = np.array([delay.get(u, 0) for u in events["user_id"].tolist()], dtype=np.int64)

        # Duplicates: copies of random events, half in the same file, half re-sent the next day.
        n_dup = int(rng.binomial(len(events), noise_rates.duplicate)) if len(events) else 0
        dup_index = np.sort(rng.choice(len(events), n_dup, replace=False)) if n_dup else np.zeros(0, np.int64)
        resent = rng.random(n_dup) < 0.5

        # Malformed rows, and on a team's first day one of each reason (files included).
        n_bad = int(rng.binomial(len(events), noise_rates.bad)) if len(events) else 0
        reasons = [str(r) for r in rng.choice(np.array([*noise.LINE_REASONS, "missing_team"]), n_bad, replace=True)]
        if day == 0 and noise_rates.bad > 0:
            reasons = [*noise.LINE_REASONS, "missing_team", *reasons]
        bases = self.writer.records(events.take(rng.choice(len(events), len(reasons)))) if reasons else []
        lines = [
            (reason, noise.bad_line(base, reason, int(v)) if reason != "missing_team" else noise.json_line(base))
            for reason, base, v in zip(reasons, bases, rng.integers(0, 12, len(reasons)), strict=True)
        ]
        in_team = [(r, line) for r, line in lines if r != "missing_team"]
        no_team = [line for r, line in lines if r == "missing_team"]

        kept_copies = dup_index[~resent]
        # Broken lines go among the day's JSON Lines rows; API pages, CSV and Parquet cannot hold
        # one, and a day whose events all arrive late has no such file: then a file of their own.
        mixed_in = fmt == "jsonl" and bool((event_delay == 0).any())
        for lateness in sorted(set(event_delay.tolist())):
            chosen = np.flatnonzero(event_delay == lateness)
            copies = kept_copies[np.isin(kept_copies, chosen)]
            if lateness == 0:
                path, bad_here = folder / f"activity.{ext}", in_team if mixed_in else []
            else:
                path, bad_here = self.day_folder(team_id, day + lateness) / f"activity-late-{date}.{ext}", []
            self.write_file(path, fmt, team_id, events, np.concatenate([chosen, copies]), len(chosen), rng, bad_here)
        if resent.any():
            path = self.day_folder(team_id, day + 1) / f"activity-resent-{date}.{ext}"
            self.write_file(path, fmt, team_id, events, dup_index[resent], 0, rng)
        if in_team and not mixed_in:
            path = folder / "activity-rejected-rows.jsonl"
            self.write_file(path, "jsonl", team_id, events, np.zeros(0, np.int64), 0, rng, in_team)
        if no_team:
            path = self.out / "unassigned" / date / f"export-{team_id}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in no_team), encoding="utf-8")
            self.bad_rows.extend((NULL, path.relative_to(self.out).as_posix(), i + 1, "missing_team")
                                 for i in range(len(no_team)))  # fmt: skip
            self.record(path, NULL, "jsonl", 0, 0, len(no_team))
        if day == 0 and noise_rates.bad > 0 and len(events):
            path = folder / "activity-cp1252.jsonl"
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(noise.latin1_file(self.writer.records(events.take(np.arange(min(3, len(events)))))))
            self.bad_rows.append((team_id, path.relative_to(self.out).as_posix(), 0, "invalid_encoding"))
            self.record(path, team_id, "jsonl", 0, 0, 1)

    def order(self, t: np.ndarray, fmt: str, rng: np.random.Generator) -> np.ndarray:
        """The order of a file's rows: by time; API pages newest first; some files out of order."""
        by_time = np.argsort(t, kind="stable")
        if fmt == "json-pages":
            return by_time[::-1]
        if rng.random() < self.config.noise.out_of_order:
            return by_time[::-1] if rng.random() < 0.5 else rng.permutation(by_time)
        return by_time

    def write_file(
        self,
        path: Path,
        fmt: str,
        team_id: int,
        events: EventBatch,
        rows: np.ndarray,
        originals: int,
        rng: np.random.Generator,
        bad: list[tuple[str, str]] | None = None,
    ) -> None:
        """Write events[rows] and malformed lines at random rows. The first `originals` rows are
        first deliveries, the rest copies. API pages are written one file per page, as a client
        saves each response."""
        bad = bad or []
        is_copy = np.arange(len(rows)) >= originals
        perm = self.order(events["t"][rows], fmt, rng)
        rows, is_copy = rows[perm], is_copy[perm]
        if fmt == "json-pages":
            size = self.config.page_size
            pages = max(1, -(-len(rows) // size))
            for page in range(pages):
                part = slice(page * size, (page + 1) * size)
                page_path = path.with_name(f"{path.stem}-page-{page + 1:04d}.json")
                self.writer.write_page(page_path, events.take(rows[part]), len(rows), size, pages)
                copies = int(is_copy[part].sum())
                self.record(page_path, team_id, fmt, len(rows[part]) - copies, copies, 0)
            return
        total = len(rows) + len(bad)
        slots = np.sort(rng.choice(total, len(bad), replace=False)) if bad else np.zeros(0, np.int64)
        rel = path.relative_to(self.out).as_posix()
        self.bad_rows.extend(
            (team_id, rel, int(slot) + 1, reason) for slot, (reason, _) in zip(slots, bad, strict=True)
        )
        bad_lines = [(int(slot), line) for slot, (_, line) in zip(slots, bad, strict=True)]
        self.writer.write(path, fmt, events.take(rows), bad_lines)
        copies = int(is_copy.sum())
        self.record(path, team_id, fmt, len(rows) - copies, copies, len(bad))

    def count_actions(self, team_id: int, events: EventBatch) -> None:
        """Distinct events per member, UTC day and action (a day's file holds that day's events)."""
        keys = np.stack([events["user_id"], events["t"] // DAY, events["action"]])
        keys, counts = np.unique(keys, axis=1, return_counts=True)
        self.by_action.append(np.vstack([np.full(keys.shape[1], team_id), keys, counts]).astype(np.int64))

    def membership_table(self, team: TeamSimulator) -> pa.Table:
        added = {u: (t, by) for u, t, by, _, _ in team.membership if t != NULL}
        removed = {u: (t, by) for u, _, _, t, by in team.membership if t != NULL}
        users = team.users
        return pa.table(
            {
                "team_id": pa.array([team.team_id] * len(users), pa.int64()),
                "user_id": pa.array([u.user_id for u in users], pa.int64()),
                "role": [u.role for u in users],
                "member_before_window": [u.user_id not in added for u in users],
                "added_at": ms_timestamps(
                    np.array([added.get(u.user_id, (NULL, NULL))[0] for u in users], dtype=np.int64)
                ),
                "added_by_user_id": pa.array([added.get(u.user_id, (None, None))[1] for u in users], pa.int64()),
                "removed_at": ms_timestamps(
                    np.array([removed.get(u.user_id, (NULL, NULL))[0] for u in users], dtype=np.int64)
                ),
                "removed_by_user_id": pa.array([removed.get(u.user_id, (None, None))[1] for u in users], pa.int64()),
            }
        )

    def finish(self) -> None:
        self.truth.write(
            "bad_rows",
            pa.table(
                {
                    "team_id": pa.array([r[0] if r[0] != NULL else None for r in self.bad_rows], pa.int64()),
                    "source_file": pa.array([r[1] for r in self.bad_rows], pa.string()),
                    "source_row_number": pa.array([r[2] for r in self.bad_rows], pa.int64()),
                    "reject_reason": pa.array([r[3] for r in self.bad_rows], pa.string()),
                }
            ),
        )
        names = ("source_file", "team_id", "source_format", "folder", "events", "duplicates", "bad_rows")
        files = sorted(self.files)
        table = {name: [f[i] for f in files] for i, name in enumerate(names)}
        table["team_id"] = [t if t != NULL else None for t in table["team_id"]]
        self.truth.write("files", pa.table(table))
        team, user, day, action, events = np.concatenate([np.zeros((5, 0), np.int64), *self.by_action], axis=1)
        order = np.lexsort((action, day, user, team))
        self.truth.write(
            "events_by_action",
            pa.table(
                {
                    "team_id": pa.array(team[order]),
                    "user_id": pa.array(user[order]),
                    "activity_date": pa.array(day[order].astype("datetime64[D]")),
                    "action": pa.array([ACTIONS[a] for a in action[order].tolist()], pa.string()),
                    "events": pa.array(events[order]),
                }
            ),
        )
        self.truth.close()
        self.summary.truth_rows = dict(self.truth.rows)


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[tqdm]:
    with tqdm(total=total, unit=" events", unit_scale=True, disable=not enabled, smoothing=0.1) as bar:
        yield bar


def simulate(config: SimulationConfig, out: Path, force: bool = False, progress: bool = True) -> RunSummary:
    """Simulate every team and write exports plus ground truth under `out`."""
    config.validate()
    prepare_output(out, force)
    started = time.perf_counter()
    run = Run(config, out)
    expected = config.teams * config.users * config.days * EVENTS_PER_MEMBER_DAY  # the bar's first guess
    with _progress(expected, progress) as bar:
        for team_index, seeds in enumerate(np.random.SeedSequence(config.seed).spawn(config.teams)):
            run.run_team(team_index + 1, seeds, bar)
        bar.total = bar.n
    run.finish()
    run.summary.seconds = time.perf_counter() - started
    manifest = {
        "generator": "labeling-analytics simulate",
        "config": {**asdict(config), "start": config.start.isoformat()},
        "summary": {**asdict(run.summary), "raw_rows": run.summary.raw_rows, "seconds": None},
    }
    (out / TRUTH_DIR / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return run.summary
