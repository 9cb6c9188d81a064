"""Options of one simulation run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

FORMATS: tuple[str, ...] = ("jsonl", "json-pages", "csv", "parquet", "mixed")

# Rough yield of the behaviour model, measured on simulated teams: used to turn --events into a
# number of users (or days). The run reports the number it actually wrote.
EVENTS_PER_MEMBER_DAY = 930


@dataclass(frozen=True)
class NoiseRates:
    """How often each kind of export noise occurs (fractions of events, or of files)."""

    duplicate: float = 0.002  # an event delivered twice (overlapping pages, re-sent exports)
    late: float = 0.01  # events of day D delivered in the folder of day D+1..D+3
    bad: float = 0.0005  # malformed rows, spread over every quarantine reason
    out_of_order: float = 0.2  # files whose rows are not in time order (newest first, or shuffled)

    def validate(self) -> None:
        for name in ("duplicate", "late", "bad", "out_of_order"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"the {name} rate must lie between 0 and 1, got {value}")


@dataclass(frozen=True)
class SimulationConfig:
    teams: int = 1
    users: int = 20  # members per team
    days: int = 14
    start: date = date(2024, 5, 6)  # a Monday
    seed: int = 0
    format: str = "jsonl"
    page_size: int = 5000  # records per API page (json-pages)
    noise: NoiseRates = field(default_factory=NoiseRates)

    def validate(self) -> None:
        if self.teams < 1:
            raise ValueError("--teams must be at least 1")
        if self.users < 3:
            raise ValueError("--users must be at least 3 (a manager, a reviewer and an annotator per team)")
        if self.days < 1:
            raise ValueError("--days must be at least 1")
        if self.format not in FORMATS:
            raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {self.format!r}")
        if self.seed < 0:
            raise ValueError(f"--seed must be 0 or more, got {self.seed}")
        if self.page_size < 1:
            raise ValueError("--page-size must be at least 1")
        self.noise.validate()
