"""One labeling team at work, day by day: managers, annotators, reviewers and QA.

Each member's day is played in time order, so a member's events are strictly increasing in time
(two events of one member never share a millisecond: two deliveries of one record are always the
same event). Items move through a job: pending -> labeled and submitted (`done`) -> accepted or
rejected by a reviewer -> reworked by their labeler -> ... -> sometimes a QA pass. What happened to
each image and figure is handed to the ground truth when the item is final (or at the end).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from typing import Protocol

import numpy as np

from .catalog import ACTION_CODE, REVIEW_CODE
from .config import SimulationConfig
from .events import NULL, EventBatch, EventBuffer
from .world import (
    CLASS_NAMES,
    DAY,
    HOUR,
    MINUTE,
    PROJECT_NAMES,
    SECOND,
    TAG_NAMES,
    TAG_VALUES,
    Draws,
    Figure,
    Image,
    Project,
    User,
    make_name,
)

A = ACTION_CODE
R = REVIEW_CODE
SOURCE_MANUAL, SOURCE_CLONE, SOURCE_TRACKING = 0, 1, 2
QA_SHARE = 0.2  # of accepted items, checked again by QA (while the QA queue is short)
QA_QUEUE_LIMIT = 300
IMAGES_PER_ANNOTATOR_DAY = 150  # how far ahead managers upload images


class ImageSink(Protocol):
    def add_image(self, team_id: int, image: Image, final_at: int) -> None: ...


FOREVER = 1 << 62


class Entity:
    """A plugin, node, workspace or model: created, sometimes disabled and restored."""

    __slots__ = ("active", "created_at", "disabled", "entity_id")

    def __init__(self, entity_id: int, created_at: int) -> None:
        self.entity_id = entity_id
        self.created_at = created_at
        self.active = True  # as the admin last left it
        self.disabled: list[list[int]] = []  # [disabled at, restored at (FOREVER: not yet)]

    def usable_at(self, t: int) -> bool:
        """Created before t and not disabled at t (other managers act at times the admin has passed)."""
        return self.created_at < t and not any(start <= t <= end for start, end in self.disabled)


class TeamSimulator:
    def __init__(self, team_id: int, config: SimulationConfig, rng: np.random.Generator, sink: ImageSink) -> None:
        self.team_id = team_id
        self.config = config
        self.draw = Draws(rng)
        self.sink = sink
        self.start_ms = int(np.datetime64(config.start, "ms").astype(np.int64))
        self.start_weekday = config.start.weekday()
        self._counters: dict[str, int] = {}
        self.users = self._make_users()
        self.by_id = {user.user_id: user for user in self.users}
        self.annotators = [u for u in self.users if u.role == "annotator"]
        self.reviewers = [u for u in self.users if u.role == "reviewer"]
        self.managers = [u for u in self.users if u.role == "manager"]
        self.admin = self.managers[0]
        self.projects: list[Project] = []
        self.jobs: dict[int, str] = {}
        self.datasets: dict[int, str] = {}
        self.pending: deque[tuple[int, Image]] = deque()  # (available from, image)
        self.review_queue: list[tuple[int, int]] = []  # heap of (submitted at, image id)
        self.qa_queue: list[tuple[int, int]] = []  # heap of (accepted at, image id)
        self.rework: dict[int, list[tuple[int, int]]] = {u.user_id: [] for u in self.annotators}
        self.orphans: list[tuple[int, int]] = []  # rework of labelers who left the team
        self.open_images: dict[int, Image] = {}
        # (final at, image, project, dataset): for image updates, disables and restores
        self.final_images: deque[tuple[int, int, int, int]] = deque(maxlen=200)
        self.recent: dict[int, list[Image]] = {}  # today's submitted items, per labeler, for a second look
        self.entities: dict[str, list[Entity]] = {"plugin": [], "node": [], "workspace": [], "model": []}
        self.scratch: list[tuple[int, int]] = []  # (project, dataset) made by a manager to try things
        self.scratch_projects: list[Project] = []
        self.spare_classes: list[tuple[int, int]] = []  # (project, class) that may be disabled
        self.spare_class_ids: list[int] = []
        self.toured = False
        self.reset_seen = False
        self.membership: list[tuple[int, int, int, int, int]] = []  # user, added at, by, removed at, by
        self._pre_existing_project()

    # --- ids and names -----------------------------------------------------------------------
    def new_id(self, kind: str) -> int:
        n = self._counters.get(kind, 0) + 1
        self._counters[kind] = n
        base = {"image": 10**8, "figure": 10**9, "tag_instance": 10**9, "user": 10**4}.get(kind, 10**6)
        return self.team_id * base + n

    def _make_users(self) -> list[User]:
        n, d, days = self.config.users, self.draw, self.config.days
        n_managers = max(1, round(0.06 * n))
        n_reviewers = max(1, -(-n // 4))  # a quarter, rounded up
        # Time zones in turn, so that even a small team has someone whose day crosses midnight UTC.
        zones = (0, -480, 60, 120, 0, 180, -300, 330, 480)
        users = []
        for i in range(n):
            role = "manager" if i < n_managers else "reviewer" if i < n_managers + n_reviewers else "annotator"
            user_id = self.new_id("user")
            users.append(
                User(
                    user_id=user_id,
                    name=make_name(user_id),
                    role=role,
                    tz_minutes=zones[i % len(zones)],
                    start_minute=d.integer(8 * 60, 10 * 60),
                    speed=float(np.exp(0.35 * d.normal())),
                    care=d.between(0.7, 0.95),
                    idle_chance=d.between(0.005, 0.04),
                    ip=d.integer(1, 250),
                    is_qa=(i == n_managers and n_reviewers > 1),
                )
            )
        for user in users:
            if user.role == "manager":
                continue
            if days > 2 and d.chance(0.1):
                user.joined_day = d.integer(1, days - 2)
            first = (user.joined_day or 0) + 2
            if first < days and d.chance(0.05):
                user.left_day = d.integer(first, days - 1)
            if d.chance(0.1):
                user.email_change_day = d.integer(0, days - 1)
        # At least one of each, so that every action occurs in a run of three days or more.
        users[0].email_change_day = 0
        if days > 2 and not any(u.joined_day for u in users):
            users[-1].joined_day = 1
        if days > 2 and not any(u.left_day for u in users):
            users[-2].left_day = days - 1
        return users

    # --- the structure of the team -----------------------------------------------------------
    def _new_project(self, created: bool, modality: str | None = None) -> Project:
        d = self.draw
        project_id = self.new_id("project")
        name = f"{PROJECT_NAMES[(project_id + self.team_id) % len(PROJECT_NAMES)]} {project_id % 1000}"
        if modality is None:
            u = d.uniform()
            modality = "images" if u < 0.7 else "videos" if u < 0.9 else "volumes"
        classes = [self.new_id("class") for _ in range(d.integer(2, 5))]
        tags = [self.new_id("tag") for _ in range(d.integer(1, 3))]
        project = Project(project_id, name, modality, classes, tags, d.between(3.0, 8.0), created)
        self.projects.append(project)
        return project

    def _new_dataset(self, project: Project) -> tuple[int, int]:
        dataset_id = self.new_id("dataset")
        job_id = self.new_id("job")
        self.datasets[dataset_id] = f"batch_{dataset_id % 1000:03d}"
        self.jobs[job_id] = f"{project.name} / {self.datasets[dataset_id]}"
        project.dataset_ids.append(dataset_id)
        return dataset_id, job_id

    def _pre_existing_project(self) -> None:
        """Work that began before the export window: its project, dataset and images have no create."""
        project = self._new_project(created=False, modality="images")
        dataset_id, job_id = self._new_dataset(project)
        for _ in range(IMAGES_PER_ANNOTATOR_DAY * max(1, len(self.annotators)) // 2):
            image = self._image(project, dataset_id, job_id)
            self.pending.append((self.start_ms - DAY, image))

    def _image(self, project: Project, dataset_id: int, job_id: int) -> Image:
        target = 1 + self.draw.poisson(project.figures_per_image)
        return Image(self.new_id("image"), project, dataset_id, job_id, target)

    # --- one day -----------------------------------------------------------------------------
    def simulate_day(self, day: int) -> EventBatch:
        buf = EventBuffer()
        midnight = self.start_ms + day * DAY
        weekend = (self.start_weekday + day) % 7 >= 5
        self.recent.clear()
        changes = any(day in (u.joined_day, u.left_day) for u in self.users)
        for user in self.managers:
            # The admin works every weekday (uploads, membership changes), and on a weekend when
            # a membership change is due.
            admin_works = user is self.admin and (not weekend or changes or day == 0)
            if user.is_member(day) and (admin_works or self._works(weekend)):
                self.manager_day(buf, user, day, self._day_start(user, midnight))
        for user in self.annotators:
            if user.is_member(day) and self._works(weekend):
                self.annotator_day(buf, user, day, self._day_start(user, midnight))
        for user in self.reviewers:
            if user.is_member(day) and self._works(weekend):
                self.reviewer_day(buf, user, day, self._day_start(user, midnight))
        return buf.to_batch()

    def _works(self, weekend: bool) -> bool:
        return self.draw.chance(0.1 if weekend else 0.93)

    def _day_start(self, user: User, midnight: int) -> int:
        return midnight + (user.start_minute - user.tz_minutes) * MINUTE + self.draw.integer(0, 30 * MINUTE)

    def login(self, buf: EventBuffer, user: User, t: int, day: int) -> int:
        ip = user.ip if self.draw.chance(0.9) else NULL
        buf.emit(user.user_id, A["login"], t, code=ip)
        if self.draw.chance(0.7):
            t += self.draw.integer(500, 4000)
            buf.emit(user.user_id, A["login_to_team"], t, code=ip)
        if user.email_change_day == day:
            user.email_change_day = None
            t += self.draw.integer(20, 90) * SECOND
            buf.emit(user.user_id, A["email_changed"], t, code=self._counters.get("email", 0))
            self._counters["email"] = self._counters.get("email", 0) + 1
        return t

    def logout(self, buf: EventBuffer, user: User, t: int) -> int:
        # Closing the browser leaves no logout: the log has none for about one day in seven.
        if self.draw.chance(0.85):
            t += self.draw.integer(1, 60) * SECOND
            buf.emit(user.user_id, A["logout"], t, code=user.ip if self.draw.chance(0.9) else NULL)
        return t

    def work_day(self, buf: EventBuffer, user: User, day: int, t: int, step: Callable[[int], int | None]) -> None:
        """Log in, two blocks of 3-4 h around lunch, log out. `step(t)` does one thing and returns
        the time after it, or None when the member has nothing left to do in this block."""
        d = self.draw
        t = self.login(buf, user, t, day)
        for block in range(2):
            block_end = t + int(d.between(3.0, 4.2) * HOUR)
            while t < block_end:
                if d.chance(0.012):  # a coffee break: more than 5 minutes without an action
                    t += d.integer(6 * MINUTE, 25 * MINUTE)
                    continue
                after = step(t)
                if after is None:
                    break
                t = after
            if block == 0:
                t += d.integer(30 * MINUTE, 60 * MINUTE)
                if d.chance(0.3):
                    t = self.login(buf, user, t, day)
        self.logout(buf, user, t)

    # --- annotators --------------------------------------------------------------------------
    def annotator_day(self, buf: EventBuffer, user: User, day: int, t: int) -> None:
        d = self.draw

        def step(t: int) -> int | None:
            recent = self.recent.get(user.user_id)
            if recent and d.chance(0.08):
                return self.view_visit(buf, user, recent[int(d.uniform() * len(recent))], t)
            image = self.next_item(user, t)
            if image is None:
                return None
            return self.labeling_visit(buf, user, image, t) + d.integer(300, 3000)

        self.work_day(buf, user, day, t, step)

    def next_item(self, user: User, now: int) -> Image | None:
        for queue in (self.rework.get(user.user_id, []), self.orphans):
            if queue and queue[0][0] < now:
                return self.open_images[heapq.heappop(queue)[1]]
        if self.pending and self.pending[0][0] < now:
            image = self.pending.popleft()[1]
            self.open_images[image.image_id] = image
            return image
        return None

    def _figure_event(self, buf: EventBuffer, user: User, action: str, image: Image, figure: Figure, t: int) -> None:
        buf.emit(
            user.user_id,
            A[action],
            t,
            project_id=image.project.project_id,
            dataset_id=image.dataset_id,
            image_id=image.image_id,
            class_id=figure.class_id,
            figure_id=figure.figure_id,
            job_id=image.job_id,
            code=figure.source if action == "create_figure" else NULL,
        )

    def _update(self, buf: EventBuffer, user: User, image: Image, figure: Figure, t: int) -> None:
        figure.n_updates += 1
        figure.last_updated_at = t
        if user.user_id not in figure.editors:
            figure.editors.append(user.user_id)
        self._figure_event(buf, user, "update_figure", image, figure, t)

    def labeling_visit(self, buf: EventBuffer, user: User, image: Image, now: int) -> int:
        d, project = self.draw, image.project
        start = now + 1
        t = start + d.lognormal_ms(4 * user.speed, 0.5)
        if image.first_opened_at < 0:
            image.first_opened_at = start
        first_round = image.n_submissions == 0
        touched: Figure | None = None
        n_create = image.target_figures if first_round else d.poisson(0.8)
        pause_at = d.integer(0, n_create + 2) if d.chance(user.idle_chance) else -1
        for k in range(n_create):
            if k == pause_at:
                t += d.integer(int(5.5 * MINUTE), 20 * MINUTE)
            t += d.lognormal_ms(18 * user.speed, 0.7)
            u = d.uniform()
            source = SOURCE_CLONE if u < 0.1 else SOURCE_TRACKING if u < 0.35 and project.modality == "videos" else 0
            class_id = int(project.class_ids[int(d.uniform() * len(project.class_ids))])
            figure = Figure(self.new_id("figure"), class_id, source, user.user_id, t)
            image.figures.append(figure)
            self._figure_event(buf, user, "create_figure", image, figure, t)
            touched = figure
            if d.chance(0.3):
                t += d.lognormal_ms(5 * user.speed, 0.6)
                self._update(buf, user, image, figure, t)
        active = [f for f in image.figures if f.active]
        if not first_round and active:
            for _ in range(1 + d.poisson(1.0)):
                t += d.lognormal_ms(9 * user.speed, 0.6)
                touched = active[int(d.uniform() * len(active))]
                self._update(buf, user, image, touched, t)
        if active and d.chance(0.12 if first_round else 0.3):
            touched = active[int(d.uniform() * len(active))]
            t += d.lognormal_ms(3 * user.speed, 0.5)
            touched.active = False
            touched.n_disabled += 1
            touched.last_disabled_at = t
            self._figure_event(buf, user, "disable_figure", image, touched, t)
            if d.chance(0.35):  # undo
                t += d.lognormal_ms(4 * user.speed, 0.5)
                touched.active = True
                touched.n_restored += 1
                touched.last_restored_at = t
                self._figure_event(buf, user, "restore_figure", image, touched, t)
        t = self._tag_work(buf, user, image, t)
        if pause_at >= n_create:
            t += d.integer(int(5.5 * MINUTE), 20 * MINUTE)
        t += d.lognormal_ms(3 * user.speed, 0.5)
        # Finish: the item is submitted for review, then the labeling tool moves on.
        buf.emit(
            user.user_id,
            A["image_review_status_updated"],
            t,
            project_id=project.project_id,
            dataset_id=image.dataset_id,
            image_id=image.image_id,
            job_id=image.job_id,
            code=R["done"],
        )
        image.status, image.labeler, image.last_status_at = R["done"], user.user_id, t
        image.n_submissions += 1
        if image.n_rejected_verdicts:
            image.n_resubmissions_after_rejection += 1
        heapq.heappush(self.review_queue, (t, image.image_id))
        self.recent.setdefault(user.user_id, []).append(image)
        end = t + d.integer(200, 900)
        self._visit_event(buf, user, image, start, end, touched)
        return end

    def _visit_event(
        self, buf: EventBuffer, user: User, image: Image, start: int, end: int, touched: Figure | None
    ) -> None:
        buf.emit(
            user.user_id,
            A["annotation_duration"],
            end,
            project_id=image.project.project_id,
            dataset_id=image.dataset_id,
            image_id=image.image_id,
            figure_id=touched.figure_id if touched is not None else NULL,
            job_id=image.job_id,
            num=end - start,
        )

    def _tag_work(self, buf: EventBuffer, user: User, image: Image, t: int) -> int:
        d, project = self.draw, image.project
        video = project.modality == "videos"

        def emit(action: str, tag_id: int, state: list[int]) -> None:
            buf.emit(
                user.user_id,
                A[action],
                t,
                project_id=project.project_id,
                dataset_id=image.dataset_id,
                image_id=image.image_id,
                figure_id=state[2],
                job_id=image.job_id,
                tag_id=tag_id,
                meta_id=state[0] if action == "attach_tag" else NULL,
                num=(state[0] % 50) if video else NULL,
                code=state[1],
            )

        free = [tag for tag in project.tag_ids if tag not in image.tags]
        if free and d.chance(0.35):
            t += d.lognormal_ms(4 * user.speed, 0.5)
            tag_id = int(free[int(d.uniform() * len(free))])
            live = [f for f in image.figures if f.active]
            on_figure = live[int(d.uniform() * len(live))].figure_id if live and d.chance(0.25) else NULL
            value = d.integer(0, len(TAG_VALUES) - 1) if d.chance(0.8) else NULL
            image.tags[tag_id] = [self.new_id("tag_instance"), value, on_figure]
            emit("attach_tag", tag_id, image.tags[tag_id])
        # A tag on a disabled figure is out of reach until the figure is restored.
        live_ids = {f.figure_id for f in image.figures if f.active}
        reachable = [tag for tag, state in image.tags.items() if state[2] == NULL or state[2] in live_ids]
        if reachable and d.chance(0.15):
            t += d.lognormal_ms(3 * user.speed, 0.5)
            tag_id = reachable[int(d.uniform() * len(reachable))]
            state = image.tags[tag_id]
            state[1] = (state[1] + 1) % len(TAG_VALUES)
            emit("update_tag_value", tag_id, state)
        if reachable and d.chance(0.05):
            t += d.lognormal_ms(3 * user.speed, 0.5)
            tag_id = reachable[int(d.uniform() * len(reachable))]
            emit("detach_tag", tag_id, image.tags.pop(tag_id))
        return t

    def view_visit(self, buf: EventBuffer, user: User, image: Image, now: int) -> int:
        """A second look at an item, without an edit (the visit has no figureId)."""
        start = now + 1
        end = start + self.draw.lognormal_ms(8 * user.speed, 0.6)
        self._visit_event(buf, user, image, start, end, None)
        return end + self.draw.integer(300, 3000)

    # --- reviewers ---------------------------------------------------------------------------
    def reviewer_day(self, buf: EventBuffer, user: User, day: int, t: int) -> None:
        d = self.draw

        def step(t: int) -> int:
            queue = self.qa_queue if user.is_qa and self.qa_queue and self.qa_queue[0][0] < t else None
            if queue is None and self.review_queue and self.review_queue[0][0] < t:
                queue = self.review_queue
            if queue is None:  # nothing submitted yet: wait
                return t + d.integer(6 * MINUTE, 25 * MINUTE)
            image = self.open_images[heapq.heappop(queue)[1]]
            return self.review_visit(buf, user, image, t, qa=queue is self.qa_queue) + d.integer(300, 3000)

        self.work_day(buf, user, day, t, step)

    def review_visit(self, buf: EventBuffer, user: User, image: Image, now: int, qa: bool) -> int:
        d = self.draw
        start = now + 1
        # Under a backlog of more than a day's work, reviewers skim: a third of the look.
        look = 6 if len(self.review_queue) > IMAGES_PER_ANNOTATOR_DAY * len(self.annotators) else 18
        t = start + d.lognormal_ms(4 * user.speed, 0.5) + d.lognormal_ms(look * user.speed, 0.6)
        if d.chance(user.idle_chance):  # called away with the item open
            t += d.integer(int(5.5 * MINUTE), 20 * MINUTE)
        touched: Figure | None = None
        active = [f for f in image.figures if f.active]
        if active and d.chance(0.12):  # the reviewer fixes a figure
            for _ in range(d.integer(1, 2)):
                t += d.lognormal_ms(6 * user.speed, 0.6)
                touched = active[int(d.uniform() * len(active))]
                self._update(buf, user, image, touched, t)
        labeler = self.by_id[image.labeler]
        if qa:
            verdict = R["quality_check_accepted"] if d.chance(0.93) else R["rejected"]
        else:
            accept = min(0.98, labeler.care + 0.1 * image.n_rejections)
            verdict = R["accepted"] if d.chance(accept) else R["rejected"]
        t += d.lognormal_ms(2, 0.4)
        self._status(buf, user, image, verdict, t)
        image.n_verdicts += 1
        image.reviewer = user.user_id
        if verdict == R["rejected"]:
            image.n_rejections += 1
            image.n_rejected_verdicts += 1
        end = t + d.integer(200, 900)
        self._visit_event(buf, user, image, start, end, touched)
        # QA is another pair of eyes: the QA reviewer's own acceptances are final.
        qa_open = (
            len(self.qa_queue) < QA_QUEUE_LIMIT
            and not user.is_qa
            and any(u.is_qa and not u.removed for u in self.reviewers)
        )
        if verdict == R["accepted"] and qa_open and d.chance(QA_SHARE):
            heapq.heappush(self.qa_queue, (t, image.image_id))
        elif verdict != R["rejected"]:
            self.finalize(image, t)
        return end

    def _status(self, buf: EventBuffer, user: User, image: Image, status: int, t: int) -> None:
        buf.emit(
            user.user_id,
            A["image_review_status_updated"],
            t,
            project_id=image.project.project_id,
            dataset_id=image.dataset_id,
            image_id=image.image_id,
            job_id=image.job_id,
            code=status,
            subject_user_id=image.labeler,
        )
        image.status, image.last_status_at = status, t
        if status == R["none"]:  # a reset sends the item back to its labeler, as a rejection does
            image.n_rejections += 1
        if status in (R["rejected"], R["none"]):
            labeler = self.by_id[image.labeler]
            queue = self.orphans if labeler.removed else self.rework[labeler.user_id]
            heapq.heappush(queue, (t, image.image_id))

    def finalize(self, image: Image, t: int) -> None:
        del self.open_images[image.image_id]
        self.final_images.append((t, image.image_id, image.project.project_id, image.dataset_id))
        self.sink.add_image(self.team_id, image, t)

    def finish(self) -> None:
        """The end of the window: items still in work are written as they stand."""
        for image in list(self.open_images.values()):
            self.sink.add_image(self.team_id, image, NULL)
        self.open_images.clear()

    # --- managers ----------------------------------------------------------------------------
    def manager_day(self, buf: EventBuffer, user: User, day: int, t: int) -> None:
        d = self.draw
        t = self.login(buf, user, t, day)
        if user is self.admin:
            t = self.membership_changes(buf, user, day, t)
            if not self.toured:
                t = self.tour(buf, user, t)
                self.toured = True
            t = self.supply(buf, user, t)
        for _ in range(d.poisson(3.0)):
            t += d.integer(2 * MINUTE, 40 * MINUTE)
            if user is self.admin:
                t = self.admin_action(buf, user, d.pick(_ROUTINE), t)
            else:
                t = self.manager_action(buf, user, d.pick(_MANAGER_ROUTINE), t)
        # A manager resets a submitted item: it goes back to its labeler. The first chance is
        # always taken, so that every run of two days or more has one.
        if self.review_queue and self.review_queue[0][0] < t and (not self.reset_seen or d.chance(0.15)):
            self.reset_seen = True
            t += d.integer(1, 5) * MINUTE
            image = self.open_images[heapq.heappop(self.review_queue)[1]]
            self._status(buf, user, image, R["none"], t)
        self.logout(buf, user, t + d.integer(5, 30) * MINUTE)

    def membership_changes(self, buf: EventBuffer, user: User, day: int, t: int) -> int:
        for member in self.users:
            if member.joined_day == day:
                t += self.draw.integer(5, 60) * SECOND
                buf.emit(user.user_id, A["add_member"], t, meta_id=member.user_id)
                self.membership.append((member.user_id, t, user.user_id, NULL, NULL))
            if member.left_day == day:
                t += self.draw.integer(5, 60) * SECOND
                buf.emit(user.user_id, A["remove_member"], t, meta_id=member.user_id)
                self.membership.append((member.user_id, NULL, NULL, t, user.user_id))
                member.removed = True
                if member.is_qa:  # nobody checks these any more: what was accepted stands
                    while self.qa_queue:
                        self.finalize(self.open_images[heapq.heappop(self.qa_queue)[1]], t)
                if member.role == "annotator":
                    for item in self.rework.pop(member.user_id, []):
                        heapq.heappush(self.orphans, item)
        return t

    def tour(self, buf: EventBuffer, user: User, t: int) -> int:
        """The admin's first day: the workspace, a first project, and one of every kind of change."""
        for action in _TOUR:
            t += self.draw.integer(20, 240) * SECOND
            t = self.admin_action(buf, user, action, t)
        return t

    def supply(self, buf: EventBuffer, user: User, t: int) -> int:
        """Upload images ahead of the annotators: a new dataset (and job) when the queue runs low."""
        want = IMAGES_PER_ANNOTATOR_DAY * max(1, len(self.annotators)) * 2
        while len(self.pending) < want:
            created = [p for p in self.projects if p.created]
            if not created or self.draw.chance(0.1):
                t = self.admin_action(buf, user, "create_project", t)
                created = [p for p in self.projects if p.created]
            project = created[-1]
            t += self.draw.integer(10, 120) * SECOND
            t = self._create_dataset(buf, user, project, t, self.draw.integer(100, 400))
        return t

    def _create_dataset(self, buf: EventBuffer, user: User, project: Project, t: int, n_images: int) -> int:
        dataset_id, job_id = self._new_dataset(project)
        buf.emit(user.user_id, A["create_dataset"], t, project_id=project.project_id, dataset_id=dataset_id)
        for _ in range(n_images):
            t += self.draw.integer(80, 400)
            image = self._image(project, dataset_id, job_id)
            buf.emit(
                user.user_id,
                A["create_image"],
                t,
                project_id=project.project_id,
                dataset_id=dataset_id,
                image_id=image.image_id,
            )
            self.pending.append((t, image))
        return t

    def manager_action(self, buf: EventBuffer, user: User, action: str, t: int) -> int:
        """Another manager's action: no change of state, only on what exists at their time (their
        day is played after the admin's, but may start earlier)."""
        d, u = self.draw, user.user_id
        t += 1
        projects = [p for p in self.projects if p.created_at < t - 10 * MINUTE]  # classes come just after
        models = [m for m in self.entities["model"] if m.usable_at(t)]
        if not projects or (action.startswith("model_") and not models):
            return t
        project = projects[int(d.uniform() * len(projects))]
        if action.startswith("model_"):
            model = models[int(d.uniform() * len(models))]
            buf.emit(u, A[action], t, project_id=project.project_id, meta_id=model.entity_id)
        elif action == "update_class":
            buf.emit(u, A[action], t, project_id=project.project_id, class_id=project.class_ids[0])
        else:
            buf.emit(u, A[action], t, project_id=project.project_id)
        return t

    def admin_action(self, buf: EventBuffer, user: User, action: str, t: int) -> int:
        d, u = self.draw, user.user_id
        t += 1
        if action == "create_project":
            project = self._new_project(created=True)
            project.created_at = t
            buf.emit(u, A["create_project"], t, project_id=project.project_id)
            for class_id in project.class_ids:
                t += d.integer(5, 40) * SECOND
                buf.emit(u, A["create_class"], t, project_id=project.project_id, class_id=class_id)
        elif action in ("update_project", "create_backup", "export_project", "model_train", "model_inference"):
            project = self.projects[int(d.uniform() * len(self.projects))]
            if action.startswith("model_"):
                models = [m for m in self.entities["model"] if m.active]
                if not models:
                    return self.admin_action(buf, user, "create_model", t)
                model = models[int(d.uniform() * len(models))]
                buf.emit(u, A[action], t, project_id=project.project_id, meta_id=model.entity_id)
            else:
                buf.emit(u, A[action], t, project_id=project.project_id)
            if action == "update_project" and d.chance(0.3):
                project.name = f"{project.name.split(' v')[0]} v{d.integer(2, 9)}"  # a rename
        elif action == "update_dataset":
            project = self.projects[0]
            buf.emit(u, A[action], t, project_id=project.project_id, dataset_id=project.dataset_ids[0])
        elif action == "update_class":
            project = self.projects[int(d.uniform() * len(self.projects))]
            buf.emit(u, A[action], t, project_id=project.project_id, class_id=project.class_ids[0])
        elif action in ("create_class_spare", "disable_class"):
            if not self.spare_classes:
                project = self.projects[-1]
                class_id = self.new_id("class")
                buf.emit(u, A["create_class"], t, project_id=project.project_id, class_id=class_id)
                self.spare_classes.append((project.project_id, class_id))
                self.spare_class_ids.append(class_id)
                t += d.integer(1, 10) * MINUTE
            project_id, class_id = self.spare_classes[-1]
            buf.emit(u, A["disable_class"], t, project_id=project_id, class_id=class_id)
            if d.chance(0.7 if self.toured else 1.0):
                t += d.integer(1, 20) * MINUTE
                buf.emit(u, A["restore_class"], t, project_id=project_id, class_id=class_id)
            else:
                self.spare_classes.pop()
        elif action in ("update_image", "disable_image"):
            image_id, project_id, dataset_id, t = self._image_to_change(buf, user, t)
            buf.emit(u, A[action], t, project_id=project_id, dataset_id=dataset_id, image_id=image_id)
            if action == "disable_image":
                t += d.integer(1, 30) * MINUTE
                buf.emit(u, A["restore_image"], t, project_id=project_id, dataset_id=dataset_id, image_id=image_id)
        elif action in ("disable_dataset", "disable_project"):
            project_id, dataset_id, t = self._scratch(buf, user, t)
            t += d.integer(1, 10) * MINUTE
            kind = action.split("_")[1]
            ids = {"project_id": project_id, "dataset_id": dataset_id if kind == "dataset" else NULL}
            buf.emit(u, A[action], t, **ids)
            t += d.integer(1, 20) * MINUTE
            buf.emit(u, A[f"restore_{kind}"], t, **ids)
        elif action.startswith("create_"):
            kind = action.split("_")[1]
            entity = Entity(self.new_id(kind), t)
            self.entities[kind].append(entity)
            buf.emit(u, A[action], t, meta_id=entity.entity_id)
        elif action.startswith("disable_"):
            kind = action.split("_")[1]
            live = [e for e in self.entities[kind] if e.active]
            if len(live) < 2:  # keep one alive: models still train
                return self.admin_action(buf, user, f"create_{kind}", t)
            entity = live[int(d.uniform() * len(live))]
            entity.active = False
            entity.disabled.append([t, FOREVER])
            buf.emit(u, A[action], t, meta_id=entity.entity_id)
            if d.chance(0.6 if self.toured else 1.0):
                t += d.integer(1, 30) * MINUTE
                entity.active = True
                entity.disabled[-1][1] = t
                buf.emit(u, A[f"restore_{kind}"], t, meta_id=entity.entity_id)
        else:
            raise ValueError(f"no rule for the admin action {action!r}")
        return t

    def _image_to_change(self, buf: EventBuffer, user: User, t: int) -> tuple[int, int, int, int]:
        """A final image (nobody works on it any more), or one uploaded to the scratch dataset.

        Returns the image, its project and dataset, and the time after any event written here."""
        if self.final_images:
            final_at, image_id, project_id, dataset_id = self.final_images[
                int(self.draw.uniform() * len(self.final_images))
            ]
            if final_at < t - HOUR:
                return image_id, project_id, dataset_id, t + 1
        project_id, dataset_id, t = self._scratch(buf, user, t)
        image_id = self.new_id("image")
        t += 1
        buf.emit(user.user_id, A["create_image"], t, project_id=project_id, dataset_id=dataset_id, image_id=image_id)
        return image_id, project_id, dataset_id, t + 1

    def _scratch(self, buf: EventBuffer, user: User, t: int) -> tuple[int, int, int]:
        """A project and dataset a manager sets up to try something; nobody labels in them."""
        if not self.scratch:
            project = Project(self.new_id("project"), "Sandbox", "images", [], [], 0.0, True)
            dataset_id = self.new_id("dataset")
            buf.emit(user.user_id, A["create_project"], t + 1, project_id=project.project_id)
            buf.emit(user.user_id, A["create_dataset"], t + 2, project_id=project.project_id, dataset_id=dataset_id)
            t += 2
            self.datasets[dataset_id] = "sandbox"
            self.scratch.append((project.project_id, dataset_id))
            self.scratch_projects.append(project)
        return (*self.scratch[0], t)

    # --- display names, for the exports ------------------------------------------------------
    def names(self) -> dict[str, dict[int, str]]:
        """Current display names by id (renames show from the day they happen)."""
        projects = self.projects + self.scratch_projects
        classes = {c: CLASS_NAMES[c % len(CLASS_NAMES)] for p in projects for c in p.class_ids}
        classes.update({c: "spare" for c in self.spare_class_ids})
        return {
            "user": {u.user_id: u.name for u in self.users},
            "project": {p.project_id: p.name for p in projects},
            "dataset": dict(self.datasets),
            "class": classes,
            "job": dict(self.jobs),
            "tag": {t: TAG_NAMES[t % len(TAG_NAMES)] for p in projects for t in p.tag_ids},
        }

    def modalities(self) -> dict[int, str]:
        return {p.project_id: p.modality for p in self.projects + self.scratch_projects}


_TOUR = (
    "create_workspace", "create_workspace", "create_project", "create_plugin", "create_plugin", "create_node",
    "create_node", "create_model", "create_model", "model_train", "model_inference", "update_project",
    "update_dataset", "update_class", "create_class_spare", "update_image", "disable_image", "create_backup",
    "export_project", "disable_plugin", "disable_node", "disable_model", "disable_workspace", "disable_dataset",
    "disable_project",
)  # fmt: skip
_MANAGER_ROUTINE = (
    "model_inference", "model_inference", "model_train", "update_project", "update_class", "create_backup",
    "export_project",
)  # fmt: skip
_ROUTINE = (
    "model_inference", "model_inference", "model_inference", "model_train", "update_project", "update_dataset",
    "update_class", "update_image", "create_backup", "export_project", "create_model", "create_plugin",
    "create_node", "disable_image", "disable_plugin", "disable_node", "disable_model", "disable_workspace",
    "create_workspace", "create_class_spare",
)  # fmt: skip
