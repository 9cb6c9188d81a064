"""The ground truth: what the simulated team really did, measured from the simulator's own events.

Every measure is defined in docs/simulator.md. The computations here use the clean events, before
any export noise (duplicates, late files, malformed rows), and are written as Parquet files in the
truth folder next to the exports.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .catalog import ACTION_CODE, FIGURE_SOURCES, REVIEW_CODE, REVIEW_STATUSES
from .events import NULL, EventBatch
from .world import DAY, MINUTE, Image

A = ACTION_CODE
IDLE_CUTOFF_MS = 5 * MINUTE  # the platform's rule: a stretch of more than 5 minutes without an action is idle
VERDICTS = (REVIEW_CODE["accepted"], REVIEW_CODE["rejected"], REVIEW_CODE["quality_check_accepted"])
ACCEPTING = (REVIEW_CODE["accepted"], REVIEW_CODE["quality_check_accepted"])

# user_daily.parquet: counts by action, then the measures computed below.
ACTION_MEASURES: dict[str, str] = {
    "figures_created": "create_figure",
    "figures_updated": "update_figure",
    "figures_disabled": "disable_figure",
    "figures_restored": "restore_figure",
    "tags_attached": "attach_tag",
    "tag_values_updated": "update_tag_value",
    "tags_detached": "detach_tag",
    "visits": "annotation_duration",
}
MEASURES: tuple[str, ...] = (
    "events",
    *ACTION_MEASURES,
    "items_submitted",
    "reviews_performed",
    "accepted_as_reviewer",
    "rejected_as_reviewer",
    "accepted_as_labeler",
    "rejected_as_labeler",
    "review_visits",
    "active_labeling_ms",
    "review_ms",
    "time_in_tool_ms",
    "login_ms",
)
# user_job_daily.parquet: per member, job and day; times are whole visits, on the day they end.
JOB_ACTION_MEASURES: dict[str, str] = {
    "figures_created": "create_figure",
    "tags_attached": "attach_tag",
    "visits": "annotation_duration",
}
JOB_MEASURES: tuple[str, ...] = (
    "events",
    *JOB_ACTION_MEASURES,
    "items_submitted",
    "reviews_performed",
    "accepted_as_reviewer",
    "rejected_as_reviewer",
    "accepted_as_labeler",
    "rejected_as_labeler",
    "active_labeling_ms",
    "review_ms",
)
LOGIN_STARTS = ("login", "login_to_team", "first_event")  # login_sessions.started_by


def ms_timestamps(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.timestamp("ms"), mask=values == NULL)


def nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.int64(), mask=values == NULL)


def split_at_midnight(user: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut time segments [a, b) at UTC midnight (each crosses one at most): (user, day, milliseconds)."""
    day_a = a // DAY
    boundary = (day_a + 1) * DAY
    if (b > boundary + DAY).any():
        raise ValueError("a time segment crosses two midnights: its middle day has no row to go to")
    crosses = b > boundary
    first = np.where(crosses, boundary, b) - a
    return (
        np.concatenate([user, user[crosses]]),
        np.concatenate([day_a, day_a[crosses] + 1]),
        np.concatenate([first, b[crosses] - boundary[crosses]]),
    )


def action_points(batch: EventBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each user's distinct action points in time order: (user, time, visits open after it, events
    at it, visits ending at it).

    Points are every event of the user and every visit's start (its end is the annotation_duration
    event itself); several can share a millisecond. Between two consecutive points a user either
    has an item open or not (no visit starts or ends in between).
    """
    visit = batch["action"] == A["annotation_duration"]
    n_visits = int(visit.sum())
    users = np.concatenate([batch["user_id"], batch["user_id"][visit]])
    times = np.concatenate([batch["t"], (batch["t"] - batch["num"])[visit]])
    delta = np.concatenate([np.where(visit, -1, 0), np.ones(n_visits, dtype=np.int64)])
    is_event = np.concatenate([np.ones(len(batch), dtype=np.int64), np.zeros(n_visits, dtype=np.int64)])
    order = np.lexsort((times, users))
    users, times, delta, is_event = users[order], times[order], delta[order], is_event[order]
    first = np.ones(len(times), dtype=bool)
    first[1:] = (users[1:] != users[:-1]) | (times[1:] != times[:-1])
    starts = np.flatnonzero(first)
    if len(starts) == 0:
        return users, times, delta, delta, delta
    return (
        users[starts],
        times[starts],
        np.cumsum(np.add.reduceat(delta, starts)),
        np.add.reduceat(is_event, starts),
        np.add.reduceat((delta < 0).astype(np.int64), starts),
    )


def tool_segments(batch: EventBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pieces of time each user spent with an item open, cut at every action point.

    Returns (user, start, end, gap_is_active), one row per piece between two consecutive points
    while an item is open; gap_is_active is False when the piece is longer than the idle cutoff.
    """
    u, t, open_after, _, _ = action_points(batch)
    is_open = (u[1:] == u[:-1]) & (open_after[:-1] > 0)
    a, b = t[:-1][is_open], t[1:][is_open]
    return u[:-1][is_open], a, b, (b - a) <= IDLE_CUTOFF_MS


def _dense(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each value's rank among the distinct values, and how many there are."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1), len(distinct)


def visit_measures(batch: EventBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each visit (`annotation_duration` event) of the batch: (its index in the batch, its active
    labeling milliseconds, whether it is a review visit).

    A visit's active time is the sum of the pieces between consecutive action points of its member
    that lie inside it (from its start to its end) and last 5 minutes or less. A review visit is
    one during which its member gave a verdict on its image (start <= verdict time <= end).
    """
    index = np.flatnonzero(batch["action"] == A["annotation_duration"])
    if len(index) == 0:
        return index, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    user, image, end = batch["user_id"][index], batch["image_id"][index], batch["t"][index]
    start = end - batch["num"][index]
    u, t, _, _, _ = action_points(batch)  # distinct points, by user then time
    gap = np.diff(t)
    piece = np.where((u[1:] == u[:-1]) & (gap <= IDLE_CUTOFF_MS), gap, 0)
    before = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(piece)])  # active ms up to each point
    users = np.unique(u)
    t0, span = int(t.min()), int(t.max() - t.min()) + 1
    point_key = np.searchsorted(users, u) * span + (t - t0)  # increasing: points are ordered so
    visit_key = np.searchsorted(users, user) * span - t0
    active = before[np.searchsorted(point_key, visit_key + end)] - before[np.searchsorted(point_key, visit_key + start)]

    code = batch["code"]
    verdict = np.flatnonzero((batch["action"] == A["image_review_status_updated"]) & np.isin(code, VERDICTS))
    member, _ = _dense(np.concatenate([user, batch["user_id"][verdict]]))
    img, n_images = _dense(np.concatenate([image, batch["image_id"][verdict]]))
    group = member * n_images + img  # (member, image)
    group_key = group * span - t0
    verdict_key = np.sort(group_key[len(index) :] + batch["t"][verdict])
    visit_group = group_key[: len(index)]
    inside = np.searchsorted(verdict_key, visit_group + end, side="right") - np.searchsorted(
        verdict_key, visit_group + start, side="left"
    )
    return index, active, inside > 0


class Sums:
    """Integer sums per key (a tuple of ints) and measure, kept until their rows are written."""

    def __init__(self, measures: tuple[str, ...]) -> None:
        self.measures = measures
        self.rows: dict[tuple[int, ...], np.ndarray] = {}

    def add(self, keys: tuple[np.ndarray, ...], measure: str, amounts: np.ndarray | None = None) -> None:
        if len(keys[0]) == 0:
            return
        column = self.measures.index(measure)
        # One int64 per key: offsets from each part's minimum (ranks when the ranges are too wide).
        parts = [(values - values.min(), int(values.max() - values.min()) + 1) for values in keys]
        if np.prod([float(n) for _, n in parts]) >= 2.0**62:
            parts = [_dense(values) for values in keys]
        combined = np.zeros(len(keys[0]), dtype=np.int64)
        for offset, n in parts:
            combined = combined * n + offset
        _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        sums = np.bincount(inverse.reshape(-1), weights=amounts, minlength=len(first))
        key_rows = np.stack([values[first] for values in keys], axis=1).tolist()
        for key, value in zip(key_rows, sums.tolist(), strict=True):
            row = self.rows.get(tuple(key))
            if row is None:
                row = self.rows[tuple(key)] = np.zeros(len(self.measures), dtype=np.int64)
            row[column] += round(value)

    def keys_before(self, before_day: int | None) -> list[tuple[int, ...]]:
        """The keys (whose last part is a day) of days before `before_day` (all when None), in order."""
        return sorted(key for key in self.rows if before_day is None or key[-1] < before_day)


class UserDayTruth:
    """Per user and UTC day measures (user_daily), and per user, job and UTC day (user_job_daily),
    accumulated over a team's work days and flushed when complete."""

    def __init__(self) -> None:
        self.daily = Sums(MEASURES)  # (user, day)
        self.jobs = Sums(JOB_MEASURES)  # (user, job, day)
        self.first_last: dict[tuple[int, int], list[int]] = {}
        self.visits: dict[int, list[np.ndarray]] = {}  # day -> [(user, image, edited)] arrays

    def _add(self, users: np.ndarray, days: np.ndarray, measure: str, amounts: np.ndarray | None = None) -> None:
        self.daily.add((users, days), measure, amounts)

    def _add_job(
        self, users: np.ndarray, jobs: np.ndarray, days: np.ndarray, measure: str, amounts: np.ndarray | None = None
    ) -> None:
        has_job = jobs != NULL
        self.jobs.add(
            (users[has_job], jobs[has_job], days[has_job]), measure, None if amounts is None else amounts[has_job]
        )

    def add(self, batch: EventBatch) -> None:
        if len(batch) == 0:
            return
        user, action, t, code, job = batch["user_id"], batch["action"], batch["t"], batch["code"], batch["job_id"]
        day = t // DAY
        self._add(user, day, "events")
        self._add_job(user, job, day, "events")
        for measure, name in ACTION_MEASURES.items():
            mask = action == A[name]
            self._add(user[mask], day[mask], measure)
            if measure in JOB_ACTION_MEASURES:
                self._add_job(user[mask], job[mask], day[mask], measure)
        review = action == A["image_review_status_updated"]
        done = review & (code == REVIEW_CODE["done"])
        verdict = review & np.isin(code, VERDICTS)
        accepted = verdict & np.isin(code, ACCEPTING)
        rejected = review & (code == REVIEW_CODE["rejected"])
        subject = batch["subject_user_id"]  # the labeler a verdict judges, whatever day they labeled it
        for who, mask, measure in (
            (user, done, "items_submitted"),
            (user, verdict, "reviews_performed"),
            (user, accepted, "accepted_as_reviewer"),
            (user, rejected, "rejected_as_reviewer"),
            (subject, accepted, "accepted_as_labeler"),
            (subject, rejected, "rejected_as_labeler"),
        ):
            self._add(who[mask], day[mask], measure)
            self._add_job(who[mask], job[mask], day[mask], measure)

        seg_user, a, b, active = tool_segments(batch)
        for measure, mask in (("time_in_tool_ms", np.ones(len(a), dtype=bool)), ("active_labeling_ms", active)):
            u, d, ms = split_at_midnight(seg_user[mask], a[mask], b[mask])
            self._add(u, d, measure, ms.astype(np.float64))

        # Whole visits, on the day they end: review visits here, and every visit per job.
        index, visit_active, is_review = visit_measures(batch)
        v_user, v_job, v_day = user[index], job[index], day[index]
        v_ms = visit_active.astype(np.float64)
        self._add(v_user[is_review], v_day[is_review], "review_visits")
        self._add(v_user[is_review], v_day[is_review], "review_ms", v_ms[is_review])
        self._add_job(v_user, v_job, v_day, "active_labeling_ms", v_ms)
        self._add_job(v_user[is_review], v_job[is_review], v_day[is_review], "review_ms", v_ms[is_review])

        order = np.lexsort((t, user))
        keys = np.stack([user[order], day[order]])
        change = np.ones(len(order), dtype=bool)
        change[1:] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
        firsts = np.flatnonzero(change)
        lasts = np.append(firsts[1:] - 1, len(order) - 1)
        for i, j in zip(firsts.tolist(), lasts.tolist(), strict=True):
            key = (int(keys[0, i]), int(keys[1, i]))
            seen = self.first_last.setdefault(key, [t[order[i]], t[order[j]]])
            seen[0], seen[1] = min(seen[0], int(t[order[i]])), max(seen[1], int(t[order[j]]))

        visit = action == A["annotation_duration"]
        for d in np.unique(day[visit]).tolist():
            mask = visit & (day == d)
            triple = np.stack(
                [user[mask], batch["image_id"][mask], (batch["figure_id"][mask] != NULL).astype(np.int64)]
            )
            self.visits.setdefault(d, []).append(triple)

    def add_login_time(self, user: np.ndarray, login_at: np.ndarray, logout_at: np.ndarray) -> None:
        u, d, ms = split_at_midnight(user, login_at, logout_at)
        self._add(u, d, "login_ms", ms.astype(np.float64))

    def flush(self, team_id: int, before_day: int | None) -> pa.Table | None:
        """Rows of the days before `before_day` (all days when None): no later work day adds to them."""
        done = self.daily.keys_before(before_day)
        if not done:
            return None
        opened: dict[tuple[int, int], tuple[int, int]] = {}
        for day in sorted({d for _, d in done}):
            triples = np.concatenate(self.visits.pop(day, [np.zeros((3, 0), dtype=np.int64)]), axis=1)
            distinct = np.unique(triples[:2], axis=1)
            edited = np.unique(triples[:2, triples[2] == 1], axis=1)
            for user in np.unique(triples[0]).tolist():
                opened[(user, day)] = (int((distinct[0] == user).sum()), int((edited[0] == user).sum()))
        matrix = np.stack([self.daily.rows.pop(key) for key in done])
        spans = np.array([self.first_last.pop(key, [NULL, NULL]) for key in done], dtype=np.int64)
        users = np.array([key[0] for key in done], dtype=np.int64)
        days = np.array([key[1] for key in done], dtype=np.int64)
        items = np.array([opened.get(key, (0, 0)) for key in done], dtype=np.int64)
        columns: dict[str, pa.Array] = {
            "team_id": pa.array(np.full(len(done), team_id)),
            "user_id": pa.array(users),
            "activity_date": pa.array(days.astype("datetime64[D]")),
        }
        columns.update(_measure_columns(MEASURES, matrix))
        columns["items_opened"] = pa.array(items[:, 0])
        columns["items_edited"] = pa.array(items[:, 1])
        columns["items_viewed_only"] = pa.array(items[:, 0] - items[:, 1])
        columns["first_event_at"] = ms_timestamps(spans[:, 0])
        columns["last_event_at"] = ms_timestamps(spans[:, 1])
        return pa.table(columns)

    def flush_jobs(self, team_id: int, before_day: int | None) -> pa.Table | None:
        """user_job_daily rows of the days before `before_day` (all days when None, then a table
        even when empty, so that the file exists), by user, day and job."""
        done = sorted(self.jobs.keys_before(before_day), key=lambda key: (key[0], key[2], key[1]))
        if not done and before_day is not None:
            return None
        matrix = np.array([self.jobs.rows.pop(key) for key in done], dtype=np.int64).reshape(-1, len(JOB_MEASURES))
        keys = np.array(done, dtype=np.int64).reshape(-1, 3)
        columns: dict[str, pa.Array] = {
            "team_id": pa.array(np.full(len(done), team_id)),
            "user_id": pa.array(keys[:, 0]),
            "job_id": pa.array(keys[:, 1]),
            "activity_date": pa.array(keys[:, 2].astype("datetime64[D]")),
        }
        columns.update(_measure_columns(JOB_MEASURES, matrix))
        return pa.table(columns)


def _measure_columns(measures: tuple[str, ...], matrix: np.ndarray) -> dict[str, pa.Array]:
    """Counts as int64; milliseconds as float seconds (`*_ms` becomes `*_seconds`)."""
    return {
        measure.removesuffix("_ms") + "_seconds" if measure.endswith("_ms") else measure: (
            pa.array(matrix[:, i] / 1000.0) if measure.endswith("_ms") else pa.array(matrix[:, i])
        )
        for i, measure in enumerate(measures)
    }


class SessionTruth:
    """Labeling sessions and login sessions of a team's members, one work day (batch) at a time.

    Neither kind may run from one batch into the next (a member's work days are hours apart and
    each opens with a login). That is checked rather than carried over: each batch's sessions are
    then complete, and their login time lands on days whose user_daily rows are not written yet.
    """

    def __init__(self, team_id: int) -> None:
        self.team_id = team_id
        self.last_point: dict[int, int] = {}
        self.unclosed: dict[int, bool] = {}  # member whose last event is no logout -> a session is open

    def labeling(self, batch: EventBatch) -> pa.Table:
        """Maximal runs of a member's action points with no gap over the idle cutoff."""
        u, t, open_after, events, visits = action_points(batch)
        gap = np.diff(t)
        same_user = u[1:] == u[:-1]
        new = np.ones(len(t), dtype=bool)
        new[1:] = ~same_user | (gap > IDLE_CUTOFF_MS)
        firsts = np.flatnonzero(np.append(True, ~same_user)[: len(t)])
        lasts = _ends(firsts, len(t))
        for user, first, last in zip(u[firsts].tolist(), t[firsts].tolist(), t[lasts].tolist(), strict=True):
            if user in self.last_point and first - self.last_point[user] <= IDLE_CUTOFF_MS:
                raise AssertionError(f"member {user}'s labeling session runs from one work day into the next")
            self.last_point[user] = last
        starts = np.flatnonzero(new)
        ends = _ends(starts, len(t))
        session = np.cumsum(new) - 1
        # Active pieces: an item open and a gap within the cutoff (so both points are in one session).
        active = same_user & (open_after[:-1] > 0) & (gap <= IDLE_CUTOFF_MS)
        active_ms = np.bincount(session[:-1][active], weights=gap[active], minlength=len(starts))
        return pa.table(
            {
                "team_id": pa.array(np.full(len(starts), self.team_id, dtype=np.int64)),
                "user_id": pa.array(u[starts]),
                "session_started_at": ms_timestamps(t[starts]),
                "session_ended_at": ms_timestamps(t[ends]),
                "events": pa.array(_sums(events, starts)),
                "visits": pa.array(_sums(visits, starts)),
                "active_labeling_seconds": pa.array(active_ms.astype(np.float64) / 1000.0),
            }
        )

    def login(self, batch: EventBatch) -> tuple[pa.Table, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Login sessions (docs/simulator.md), and their (user, login_at, logout_at) for user_daily."""
        order = np.lexsort((batch["t"], batch["user_id"]))
        u, t, action = batch["user_id"][order], batch["t"][order], batch["action"][order]
        n = len(t)
        login, to_team, logout = (action == A[name] for name in ("login", "login_to_team", "logout"))
        first = np.ones(n, dtype=bool)
        first[1:] = u[1:] != u[:-1]
        # A session is open after an event when the member's latest login, login_to_team or logout is no logout.
        latest = np.maximum.accumulate(np.where(login | to_team | logout | first, np.arange(n), 0))
        open_after = (login | to_team)[latest]
        open_before = np.append(False, open_after[:-1] & ~first[1:])[:n]
        # A run of events starts at a session opener, after a logout, or at a member's first event.
        new = first | login | (to_team & ~open_before) | np.append(False, logout[:-1])[:n]
        firsts = np.flatnonzero(first)
        for user, i, j in zip(u[firsts].tolist(), firsts.tolist(), _ends(firsts, n).tolist(), strict=True):
            if user in self.unclosed and not (login[i] or (to_team[i] and not self.unclosed[user])):
                raise AssertionError(f"member {user}'s login session runs from one work day into the next")
            if logout[j]:
                self.unclosed.pop(user, None)
            else:
                self.unclosed[user] = bool(open_after[j])
        starts = np.flatnonzero(new)
        ends = _ends(starts, n)
        opened, closed = (login | to_team)[starts], logout[ends]
        # A run that no opener starts is a session only when a logout ends it after at least one
        # other event (a repeated logout opens and closes nothing).
        keep = opened | (closed & (ends > starts))
        starts, ends, opened, closed = (x[keep] for x in (starts, ends, opened, closed))
        started_by = np.where(opened, np.where(login[starts], 0, 1), 2)
        table = pa.table(
            {
                "team_id": pa.array(np.full(len(starts), self.team_id, dtype=np.int64)),
                "user_id": pa.array(u[starts]),
                "login_at": ms_timestamps(t[starts]),
                "logout_at": ms_timestamps(t[ends]),
                "started_by": pa.array([LOGIN_STARTS[i] for i in started_by.tolist()], type=pa.string()),
                "ended_by": pa.array(np.where(closed, "logout", "last_event").tolist(), type=pa.string()),
                "events": pa.array((ends - starts + 1).astype(np.int64)),
            }
        )
        return table, (u[starts], t[starts], t[ends])


def _ends(starts: np.ndarray, n: int) -> np.ndarray:
    """The last index of each run, given the first indexes of consecutive runs covering range(n)."""
    return np.append(starts[1:] - 1, n - 1)[: len(starts)]


def _sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(values, starts) if len(starts) else np.zeros(0, dtype=np.int64)


class EntityTruth:
    """Images and their figures, as they stand when the item is final (or at the end of the window)."""

    def __init__(self) -> None:
        self.figures: list[list[int]] = []
        self.images: list[list[int]] = []

    def add_image(self, team_id: int, image: Image, final_at: int) -> None:
        status = image.status
        accepted = int(status in ACCEPTING)
        for f in image.figures:
            self.figures.append(
                [
                    team_id,
                    f.figure_id,
                    image.project.project_id,
                    image.dataset_id,
                    image.image_id,
                    f.class_id,
                    image.job_id,
                    f.creator,
                    f.created_at,
                    f.source,
                    f.n_updates,
                    len(f.editors),
                    f.last_updated_at,
                    f.n_disabled,
                    f.n_restored,
                    f.last_disabled_at,
                    f.last_restored_at,
                    int(f.active),
                    status,
                    accepted,
                ]
            )
        self.images.append(
            [
                team_id,
                image.image_id,
                image.project.project_id,
                image.dataset_id,
                image.job_id,
                len(image.figures),
                image.labeler,
                image.reviewer,
                image.n_submissions,
                image.n_verdicts,
                image.n_rejections,
                status,
                image.first_opened_at,
                image.last_status_at,
                final_at,
                image.n_rejected_verdicts,
                image.n_resubmissions_after_rejection,
            ]
        )

    def figure_table(self) -> pa.Table:
        m = np.array(self.figures, dtype=np.int64).reshape(-1, 20)
        self.figures.clear()
        names = np.array(FIGURE_SOURCES + REVIEW_STATUSES, dtype=object)
        return pa.table(
            {
                "team_id": pa.array(m[:, 0]),
                "figure_id": pa.array(m[:, 1]),
                "project_id": pa.array(m[:, 2]),
                "dataset_id": pa.array(m[:, 3]),
                "image_id": pa.array(m[:, 4]),
                "class_id": pa.array(m[:, 5]),
                "job_id": pa.array(m[:, 6]),
                "creator_user_id": pa.array(m[:, 7]),
                "created_at": ms_timestamps(m[:, 8]),
                "figure_source": pa.array(names[m[:, 9]].tolist(), type=pa.string()),
                "update_count": pa.array(m[:, 10]),
                "editor_count": pa.array(m[:, 11]),
                "last_updated_at": ms_timestamps(m[:, 12]),
                "disabled_count": pa.array(m[:, 13]),
                "restored_count": pa.array(m[:, 14]),
                "last_disabled_at": ms_timestamps(m[:, 15]),
                "last_restored_at": ms_timestamps(m[:, 16]),
                "final_state": pa.array(np.where(m[:, 17] == 1, "active", "disabled").tolist(), type=pa.string()),
                "image_review_status": _status_names(m[:, 18]),
                "image_accepted": pa.array(m[:, 19] == 1),
            }
        )

    def image_table(self) -> pa.Table:
        m = np.array(self.images, dtype=np.int64).reshape(-1, 17)
        self.images.clear()
        return pa.table(
            {
                "team_id": pa.array(m[:, 0]),
                "image_id": pa.array(m[:, 1]),
                "project_id": pa.array(m[:, 2]),
                "dataset_id": pa.array(m[:, 3]),
                "job_id": pa.array(m[:, 4]),
                "figures_created": pa.array(m[:, 5]),
                "labeler_user_id": nullable(m[:, 6]),
                "reviewer_user_id": nullable(m[:, 7]),
                "submissions": pa.array(m[:, 8]),
                "review_rounds": pa.array(m[:, 9]),
                "rework_rounds": pa.array(m[:, 10]),
                "final_review_status": _status_names(m[:, 11]),
                "first_opened_at": ms_timestamps(m[:, 12]),
                "last_status_at": ms_timestamps(m[:, 13]),
                "is_final": pa.array(m[:, 14] != NULL),
                "rejections": pa.array(m[:, 15]),
                "resubmissions_after_rejection": pa.array(m[:, 16]),
            }
        )


def _status_names(codes: np.ndarray) -> pa.Array:
    names = np.array(REVIEW_STATUSES, dtype=object)
    return pa.array(np.where(codes == NULL, None, names[np.maximum(codes, 0)]).tolist(), type=pa.string())


class TruthWriter:
    """One Parquet file per truth table, written in pieces as the run goes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def write(self, name: str, table: pa.Table | None) -> None:
        """Append rows; an empty table still creates the file (a run without bad rows has an empty list)."""
        if table is None or (table.num_rows == 0 and name in self.writers):
            return
        writer = self.writers.get(name)
        if writer is None:
            writer = self.writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema)
        writer.write_table(table)
        self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
