"""Columnar event buffers: the simulator appends integers to a few lists, never an object per event."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

NULL = -1  # every id, code and number column uses -1 for "absent"

COLUMNS: tuple[str, ...] = (
    "user_id",  # who acted
    "action",  # code in catalog.ACTIONS
    "t",  # epoch milliseconds, UTC
    "project_id",
    "dataset_id",
    "image_id",
    "class_id",
    "figure_id",
    "job_id",
    "tag_id",
    "meta_id",  # meta.id: the plugin, node, workspace, model, member or attached tag instance
    "num",  # annotation_duration: milliseconds; attach/update tag: start frame
    "code",  # review status, figure source, tag value, ip or e-mail change, by action
    "subject_user_id",  # not exported: the labeler a review verdict judges
)


class EventBuffer:
    """Append-only columns for one team's work day."""

    __slots__ = ("_action", "_class", "_code", "_columns", "_dataset", "_figure", "_image", "_job", "_meta", "_num",
                 "_project", "_subject", "_t", "_tag", "_user")  # fmt: skip

    def __init__(self) -> None:
        # array('q'): 8 bytes a value, no Python int kept per value.
        self._columns: list[array[int]] = [array("q") for _ in COLUMNS]
        # Bound appends, unrolled in emit(): this is the simulator's innermost loop.
        (
            self._user,
            self._action,
            self._t,
            self._project,
            self._dataset,
            self._image,
            self._class,
            self._figure,
            self._job,
            self._tag,
            self._meta,
            self._num,
            self._code,
            self._subject,
        ) = (column.append for column in self._columns)

    def __len__(self) -> int:
        return len(self._columns[0])

    def emit(
        self,
        user_id: int,
        action: int,
        t: int,
        project_id: int = NULL,
        dataset_id: int = NULL,
        image_id: int = NULL,
        class_id: int = NULL,
        figure_id: int = NULL,
        job_id: int = NULL,
        tag_id: int = NULL,
        meta_id: int = NULL,
        num: int = NULL,
        code: int = NULL,
        subject_user_id: int = NULL,
    ) -> None:
        self._user(user_id)
        self._action(action)
        self._t(t)
        self._project(project_id)
        self._dataset(dataset_id)
        self._image(image_id)
        self._class(class_id)
        self._figure(figure_id)
        self._job(job_id)
        self._tag(tag_id)
        self._meta(meta_id)
        self._num(num)
        self._code(code)
        self._subject(subject_user_id)

    def to_batch(self) -> EventBatch:
        return EventBatch(
            {
                name: np.frombuffer(values, dtype=np.int64).copy()
                for name, values in zip(COLUMNS, self._columns, strict=True)
            }
        )


@dataclass
class EventBatch:
    """Events as numpy columns (one int64 array per name in COLUMNS)."""

    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.columns["t"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def take(self, index: np.ndarray) -> EventBatch:
        return EventBatch({name: values[index] for name, values in self.columns.items()})

    @staticmethod
    def concat(batches: list[EventBatch]) -> EventBatch:
        if not batches:
            return EventBuffer().to_batch()
        return EventBatch({name: np.concatenate([batch[name] for batch in batches]) for name in COLUMNS})
