"""The vocabulary the simulator speaks: actions, review statuses and quarantine reasons.

These mirror the dbt seeds (`seeds/*.csv`); a test keeps the two in step, because the package must
not read files of the dbt project at run time (it is installed on its own).
"""

from __future__ import annotations

ACTIONS: tuple[str, ...] = (
    "login", "logout", "login_to_team",
    "create_project", "update_project", "disable_project", "restore_project",
    "create_dataset", "update_dataset", "disable_dataset", "restore_dataset",
    "create_image", "update_image", "disable_image", "restore_image",
    "create_figure", "update_figure", "disable_figure", "restore_figure",
    "create_class", "update_class", "disable_class", "restore_class",
    "create_backup", "export_project", "model_train", "model_inference",
    "create_plugin", "disable_plugin", "restore_plugin",
    "create_node", "disable_node", "restore_node",
    "create_workspace", "disable_workspace", "restore_workspace",
    "create_model", "disable_model", "restore_model",
    "add_member", "remove_member",
    "attach_tag", "update_tag_value", "detach_tag",
    "annotation_duration", "image_review_status_updated", "email_changed",
)  # fmt: skip
ACTION_CODE: dict[str, int] = {name: code for code, name in enumerate(ACTIONS)}

# Actions whose entity is named by `meta.id` (the record has no column for it).
META_TARGET_ACTIONS: frozenset[str] = frozenset(
    name
    for name in ACTIONS
    if name.split("_")[-1] in {"plugin", "node", "workspace", "model", "member"} or name.startswith("model_")
)

REVIEW_STATUSES: tuple[str, ...] = ("none", "done", "accepted", "rejected", "quality_check_accepted")
REVIEW_CODE: dict[str, int] = {name: code for code, name in enumerate(REVIEW_STATUSES)}

FIGURE_SOURCES: tuple[str, ...] = ("manual", "clone", "tracking")

# In priority order, as in seeds/reject_reasons.csv: a row is reported under its first reason.
REJECT_REASONS: tuple[str, ...] = (
    "invalid_encoding", "malformed_json", "not_an_object", "missing_team", "missing_action",
    "unknown_action", "missing_date", "unparseable_date", "invalid_id", "missing_user",
    "invalid_duration", "invalid_review_status", "meta_not_object", "missing_required_id",
)  # fmt: skip

RECORD_FIELDS: tuple[str, ...] = (
    "userId", "action", "date", "user", "projectId", "project", "datasetId", "dataset", "imageId",
    "image", "classId", "class", "figureId", "job", "jobId", "tag", "tagId", "meta",
)  # fmt: skip
