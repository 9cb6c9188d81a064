"""The people and things of one simulated team, and the random draws that drive them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

SECOND = 1_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

MODALITIES: tuple[str, ...] = ("images", "videos", "volumes")

_SYLLABLES = ("ka", "ri", "to", "mi", "an", "sel", "ve", "lo", "du", "na", "pe", "zor", "li", "wei", "sam", "tor")
PROJECT_NAMES = (
    "Street scenes", "Retail shelves", "Drone fields", "Warehouse boxes", "Medical slices", "Parking lots",
    "Traffic signs", "Crop rows", "Dock cranes", "Solar panels", "Rail tracks", "Kitchen items",
)  # fmt: skip
CLASS_NAMES = ("car", "person", "bicycle", "truck", "sign", "box", "pallet", "lesion", "panel", "bag", "tree", "bus")
TAG_NAMES = ("weather", "occluded", "blurry", "night", "difficult", "truncated")
TAG_VALUES = ("sunny", "rain", "fog", "yes", "no", "low", "high")


class Draws:
    """Random numbers drawn from numpy in blocks and handed out one at a time (fast in a Python loop)."""

    __slots__ = ("_i", "_normal", "_rng", "_size", "_uniform")

    def __init__(self, rng: np.random.Generator, size: int = 1 << 16) -> None:
        self._rng = rng
        self._size = size
        self._refill()

    def _refill(self) -> None:
        self._uniform = self._rng.random(self._size).tolist()
        self._normal = self._rng.standard_normal(self._size).tolist()
        self._i = 0

    def _next(self) -> int:
        if self._i == self._size:
            self._refill()
        i = self._i
        self._i = i + 1
        return i

    def uniform(self) -> float:
        return self._uniform[self._next()]

    def normal(self) -> float:
        return self._normal[self._next()]

    def chance(self, p: float) -> bool:
        return self._uniform[self._next()] < p

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self._uniform[self._next()]

    def integer(self, low: int, high: int) -> int:
        """A whole number in [low, high]."""
        return low + int((high - low + 1) * self._uniform[self._next()])

    def lognormal_ms(self, median_seconds: float, sigma: float) -> int:
        """A skewed duration in milliseconds (at least 1): most are near the median, a few far above."""
        return max(1, int(median_seconds * SECOND * math.exp(sigma * self._normal[self._next()])))

    def poisson(self, mean: float) -> int:
        # Knuth's method: the means used here are small.
        limit, k, product = math.exp(-mean), 0, self.uniform()
        while product > limit:
            k += 1
            product *= self.uniform()
        return k

    def pick(self, items: tuple[str, ...]) -> str:
        return items[int(len(items) * self._uniform[self._next()])]


def make_name(number: int, parts: int = 2) -> str:
    """A stable, pronounceable login for a number."""
    name = []
    for _ in range(parts):
        name.append(_SYLLABLES[number % len(_SYLLABLES)])
        number //= len(_SYLLABLES)
    return "".join(name) + str(number % 100 or "")


@dataclass
class User:
    user_id: int
    name: str
    role: str  # annotator, reviewer, manager
    tz_minutes: int  # offset of the user's clock from UTC
    start_minute: int  # local minute of the day the user usually starts
    speed: float  # multiplies every duration: above 1 is slower
    care: float  # chance that a reviewer accepts this labeler's item at the first look
    idle_chance: float  # chance per item of a long pause (phone, meeting) inside the item
    ip: int
    joined_day: int | None = None  # None: a member before the window
    left_day: int | None = None
    is_qa: bool = False
    email_change_day: int | None = None
    removed: bool = False  # set when the remove_member event is written

    def is_member(self, day: int) -> bool:
        joined = self.joined_day is None or self.joined_day < day
        return joined and (self.left_day is None or day < self.left_day)


@dataclass
class Project:
    project_id: int
    name: str
    modality: str
    class_ids: list[int]
    tag_ids: list[int]
    figures_per_image: float
    created: bool  # created inside the export window (else: seen without a create)
    created_at: int = -(1 << 62)  # epoch ms of its create_project (long ago when not created)
    dataset_ids: list[int] = field(default_factory=list)


class Figure:
    """What happened to one figure; written to the ground truth when its image is final."""

    __slots__ = (
        "active",
        "class_id",
        "created_at",
        "creator",
        "editors",
        "figure_id",
        "last_disabled_at",
        "last_restored_at",
        "last_updated_at",
        "n_disabled",
        "n_restored",
        "n_updates",
        "source",
    )

    def __init__(self, figure_id: int, class_id: int, source: int, creator: int, created_at: int) -> None:
        self.figure_id = figure_id
        self.class_id = class_id
        self.source = source
        self.creator = creator
        self.created_at = created_at
        self.n_updates = 0
        self.last_updated_at = -1
        self.n_disabled = 0
        self.n_restored = 0
        self.last_disabled_at = -1
        self.last_restored_at = -1
        self.active = True
        self.editors = [creator]  # distinct users who created or updated it (a list: usually one)


class Image:
    """One item in a labeling job, while it moves between labeler and reviewers."""

    __slots__ = (
        "dataset_id",
        "figures",
        "first_opened_at",
        "image_id",
        "job_id",
        "labeler",
        "last_status_at",
        "n_rejected_verdicts",
        "n_rejections",
        "n_resubmissions_after_rejection",
        "n_submissions",
        "n_verdicts",
        "project",
        "reviewer",
        "status",
        "tags",
        "target_figures",
    )

    def __init__(self, image_id: int, project: Project, dataset_id: int, job_id: int, target_figures: int) -> None:
        self.image_id = image_id
        self.project = project
        self.dataset_id = dataset_id
        self.job_id = job_id
        self.target_figures = target_figures
        self.figures: list[Figure] = []
        self.status = -1  # review status code; -1: never had one
        self.labeler = -1  # who submitted the current round
        self.reviewer = -1  # who gave the last verdict
        self.n_submissions = 0
        self.n_verdicts = 0
        self.n_rejections = 0  # times sent back: rejections and resets
        self.n_rejected_verdicts = 0
        self.n_resubmissions_after_rejection = 0
        self.first_opened_at = -1
        self.last_status_at = -1
        # tag id -> [instance id, value code, figure id or -1]
        self.tags: dict[int, list[int]] = {}
