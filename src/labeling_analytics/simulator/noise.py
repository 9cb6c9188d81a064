"""Malformed rows: one per quarantine reason, each built from a real record with exactly one defect.

Each builder changes a copy of a well-formed record so that the staging layer must reject it for
that reason and for no reason of higher priority (seeds/reject_reasons.csv): the ground truth can
then say which reason the quarantine reports.
"""

from __future__ import annotations

import json
from collections.abc import Callable

Record = dict[str, object]

# Reasons a single line can carry. `missing_team` is a file outside any team folder and
# `invalid_encoding` a whole file that is not UTF-8: the run writes those files itself.
LINE_REASONS: tuple[str, ...] = (
    "malformed_json", "not_an_object", "missing_action", "unknown_action", "missing_date",
    "unparseable_date", "invalid_id", "missing_user", "invalid_duration", "invalid_review_status",
    "meta_not_object", "missing_required_id",
)  # fmt: skip

# Actions whose meta is checked by staging: a defect of another kind must not hit them.
_META_CHECKED = ("annotation_duration", "image_review_status_updated")


def _dump(record: Record) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def _plain(record: Record) -> Record:
    """A copy that no meta rule looks at (no visit, no review status, no required id to miss)."""
    copy = dict(record)
    if copy["action"] in _META_CHECKED:
        copy["action"] = "login"
        copy["meta"] = {}
    return copy


def _malformed_json(record: Record, variant: int) -> str:
    text = _dump(record)
    return text[: max(2, len(text) // (2 + variant % 3))]


def _not_an_object(record: Record, variant: int) -> str:
    return [_dump([record]), "42", json.dumps("login")][variant % 3]


def _without(field: str) -> Callable[[Record, int], str]:
    def build(record: Record, variant: int) -> str:
        copy = _plain(record)
        del copy[field]
        return _dump(copy)

    return build


def _unknown_action(record: Record, variant: int) -> str:
    copy = _plain(record)
    copy["action"] = ["open_image", "sign_in", "rotate_figure"][variant % 3]
    return _dump(copy)


def _unparseable_date(record: Record, variant: int) -> str:
    copy = _plain(record)
    date = str(copy["date"])
    copy["date"] = [date[:10], "1714813200", date[:5] + "02-30" + date[10:]][variant % 3]
    return _dump(copy)


def _invalid_id(record: Record, variant: int) -> str:
    copy = _plain(record)
    copy["projectId"] = ["abc", 12.5, -3][variant % 3]
    return _dump(copy)


def _invalid_duration(record: Record, variant: int) -> str:
    copy = dict(record)
    copy["action"] = "annotation_duration"
    copy["meta"] = [{"duration": -5}, {"duration": 90000}, {"duration": "slow"}, {}][variant % 4]
    return _dump(copy)


def _invalid_review_status(record: Record, variant: int) -> str:
    copy = dict(record)
    copy["action"] = "image_review_status_updated"
    copy["meta"] = [{"reviewStatus": "maybe"}, {}][variant % 2]
    return _dump(copy)


def _meta_not_object(record: Record, variant: int) -> str:
    copy = _plain(record)
    copy["meta"] = [[1], "oops", 7][variant % 3]
    return _dump(copy)


def _missing_required_id(record: Record, variant: int) -> str:
    copy = dict(record)
    copy["action"] = "create_figure"
    copy["figureId"] = None
    copy["meta"] = {}
    return _dump(copy)


BUILDERS: dict[str, Callable[[Record, int], str]] = {
    "malformed_json": _malformed_json,
    "not_an_object": _not_an_object,
    "missing_action": _without("action"),
    "unknown_action": _unknown_action,
    "missing_date": _without("date"),
    "unparseable_date": _unparseable_date,
    "invalid_id": _invalid_id,
    "missing_user": _without("userId"),
    "invalid_duration": _invalid_duration,
    "invalid_review_status": _invalid_review_status,
    "meta_not_object": _meta_not_object,
    "missing_required_id": _missing_required_id,
}
assert tuple(BUILDERS) == LINE_REASONS


def bad_line(record: Record, reason: str, variant: int) -> str:
    return BUILDERS[reason](record, variant)


def latin1_file(records: list[Record]) -> bytes:
    """An export re-saved in a Western code page: not UTF-8, so the whole file is one rejected row."""
    lines = []
    for record in records:
        copy = dict(record)
        copy["user"] = f"{copy['user']} Jos\u00e9"
        lines.append(_dump(copy))
    return ("\n".join(lines) + "\n").encode("latin-1")


def json_line(record: Record) -> str:
    return _dump(record)
