"""Render simulated events as the platform's records and write them in the shapes users export.

DuckDB does the rendering and writing, column by column: JSON Lines, the API's JSON pages, the
pandas CSV export (Python-repr `meta`, float ids where a column has gaps) and Parquet.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from .catalog import ACTIONS, META_TARGET_ACTIONS, RECORD_FIELDS, REVIEW_STATUSES
from .events import COLUMNS, EventBatch
from .world import TAG_VALUES

EXTENSIONS = {"jsonl": "jsonl", "json-pages": "json", "csv": "csv", "parquet": "parquet"}
ID_FIELDS = {
    "userId": "user_id",
    "projectId": "project_id",
    "datasetId": "dataset_id",
    "imageId": "image_id",
    "classId": "class_id",
    "figureId": "figure_id",
    "jobId": "job_id",
    "tagId": "tag_id",
}


def _sql_list(names: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in sorted(names))


_GEOMETRY = """
    case m.modality
        when 'videos' then json_object('frame', e.figure_id % 300)
        when 'volumes' then json_object('sliceIndex', e.figure_id % 120, 'normal', json_object('x', 0, 'y', 0, 'z', 1))
        else '{}'::json
    end"""
_TAG_FRAMES = "case when e.num <> -1 then json_object('startFrame', e.num, 'endFrame', e.num + 10) else '{}'::json end"
_TAG_VALUE = "json_object('value', case when e.code <> -1 then tv.value end)"

META_SQL = f"""
    case
        when a.action = 'annotation_duration' then json_object('duration', e.num / 1000)
        when a.action = 'image_review_status_updated' then json_object('reviewStatus', rs.status)
        when a.action = 'email_changed' then json_object(
            'newEmail', 'user' || e.user_id || '.' || (e.code + 1) || '@example.com',
            'oldEmail', 'user' || e.user_id || '.' || e.code || '@example.com')
        when a.action in ('login', 'logout', 'login_to_team') and e.code <> -1
            then json_object('ip', '10.' || (e.user_id % 200) || '.1.' || e.code)
        when a.action = 'create_figure' then json_merge_patch({_GEOMETRY},
            json_object(
                'source', case e.code when 1 then 'clone' when 2 then 'tracking' end,
                'seekPosition', case when m.modality = 'videos' then round((e.figure_id % 300) / 25, 2) end))
        when a.action in ('update_figure', 'disable_figure', 'restore_figure') then {_GEOMETRY}
        when a.action = 'attach_tag' then json_merge_patch(
            json_merge_patch(json_object('id', e.meta_id), {_TAG_VALUE}), {_TAG_FRAMES})
        when a.action in ('update_tag_value', 'detach_tag') then json_merge_patch({_TAG_VALUE}, {_TAG_FRAMES})
        when a.action in ({_sql_list(META_TARGET_ACTIONS)}) then json_object('id', e.meta_id)
        else '{{}}'::json
    end"""


RECORD_SQL = f"""
    select
        e.pos,
        nullif(e.user_id, -1) as userId,
        a.action,
        strftime(epoch_ms(e.t), '%Y-%m-%dT%H:%M:%S.%gZ') as date,
        nu.name as "user",
        nullif(e.project_id, -1) as projectId,
        np.name as project,
        nullif(e.dataset_id, -1) as datasetId,
        nd.name as dataset,
        nullif(e.image_id, -1) as imageId,
        case when e.image_id <> -1 then 'IMG_' || e.image_id || '.jpeg' end as image,
        nullif(e.class_id, -1) as classId,
        nc.name as class,
        nullif(e.figure_id, -1) as figureId,
        nj.name as job,
        nullif(e.job_id, -1) as jobId,
        nt.name as tag,
        nullif(e.tag_id, -1) as tagId,
        {META_SQL} as meta
    from events as e
    inner join actions as a on e.action = a.code
    left join review_statuses as rs on e.code = rs.code
    left join tag_values as tv on e.code = tv.code
    left join modalities as m on e.project_id = m.project_id
    left join names as nu on nu.kind = 'user' and e.user_id = nu.id
    left join names as np on np.kind = 'project' and e.project_id = np.id
    left join names as nd on nd.kind = 'dataset' and e.dataset_id = nd.id
    left join names as nc on nc.kind = 'class' and e.class_id = nc.id
    left join names as nj on nj.kind = 'job' and e.job_id = nj.id
    left join names as nt on nt.kind = 'tag' and e.tag_id = nt.id
"""
FIELD_LIST = ", ".join(f'"{field}"' for field in RECORD_FIELDS)


class ExportWriter:
    """Writes one export file at a time through an in-memory DuckDB connection."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        # One thread and insertion order: the same seed gives the same bytes.
        self.con.execute("set threads = 1")
        self.con.execute("set preserve_insertion_order = true")
        self._static = {
            "actions": pa.table({"code": pa.array(range(len(ACTIONS)), pa.int64()), "action": list(ACTIONS)}),
            "review_statuses": pa.table(
                {"code": pa.array(range(len(REVIEW_STATUSES)), pa.int64()), "status": list(REVIEW_STATUSES)}
            ),
            "tag_values": pa.table({"code": pa.array(range(len(TAG_VALUES)), pa.int64()), "value": list(TAG_VALUES)}),
        }
        for name, table in self._static.items():
            self.con.register(name, table)

    def set_dimensions(self, names: dict[str, dict[int, str]], modalities: dict[int, str]) -> None:
        kinds, ids, values = [], [], []
        for kind, mapping in names.items():
            for key, value in mapping.items():
                kinds.append(kind)
                ids.append(key)
                values.append(value)
        self._names = pa.table({"kind": kinds, "id": pa.array(ids, pa.int64()), "name": values})
        self._modalities = pa.table(
            {"project_id": pa.array(list(modalities), pa.int64()), "modality": list(modalities.values())}
        )
        self.con.register("names", self._names)
        self.con.register("modalities", self._modalities)

    def write(
        self,
        path: Path,
        fmt: str,
        events: EventBatch,
        bad_lines: list[tuple[int, str]] | None = None,
    ) -> None:
        """Write `events` in their order; JSON Lines may get raw `bad_lines` at given 0-based rows."""
        n_bad = len(bad_lines or [])
        slots = np.ones(len(events) + n_bad, dtype=bool)
        if bad_lines:
            slots[[row for row, _ in bad_lines]] = False
        tmp, target = self._register(path, events, np.flatnonzero(slots))
        if fmt == "jsonl":
            bad = pa.table(
                {
                    "pos": pa.array([row for row, _ in bad_lines or []], pa.int64()),
                    "line": pa.array([line for _, line in bad_lines or []], pa.string()),
                }
            )
            self.con.register("bad_lines", bad)
            self.con.execute(
                f"""copy (
                    select line from (
                        select pos, to_json(struct_pack({FIELD_LIST})) :: varchar as line
                        from ({RECORD_SQL})
                        union all
                        select pos, line from bad_lines
                    ) order by pos
                ) to '{target}' (format csv, header false, quote '', escape '', delim '\t')"""
            )
        elif fmt == "csv":
            self.con.execute(f"copy ({self._csv_sql(n_bad)}) to '{target}' (format csv, header true)")
        elif fmt == "parquet":
            columns = ", ".join(f'"{f}"' for f in RECORD_FIELDS if f != "meta")
            self.con.execute(
                f"""copy (select {columns}, meta :: varchar as meta from ({RECORD_SQL}) order by pos)
                to '{target}' (format parquet)"""
            )
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        os.replace(tmp, path)

    def _register(self, path: Path, events: EventBatch, positions: np.ndarray) -> tuple[Path, str]:
        """Register the events for RECORD_SQL; return the temporary file to write and its SQL literal."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con.register("events", pa.table({name: events[name] for name in COLUMNS} | {"pos": positions}))
        tmp = path.with_name(f".{path.name}.tmp")
        return tmp, str(tmp).replace("'", "''")

    def write_page(self, path: Path, events: EventBatch, total: int, page_size: int, pages: int) -> None:
        """One response page of `teams.activity`, as the API returns it and a client saves it."""
        tmp, target = self._register(path, events, np.arange(len(events)))
        self.con.execute(
            f"""copy (
                select
                    {total} as total,
                    {page_size} as perPage,
                    {pages} as pagesCount,
                    coalesce(list(struct_pack({FIELD_LIST}) order by pos), []) as entities
                from ({RECORD_SQL})
            ) to '{target}' (format json)"""
        )
        os.replace(tmp, path)

    def records(self, events: EventBatch) -> list[dict[str, object]]:
        """A few events as Python dicts, in the record's key order (to build malformed rows from)."""
        self.con.register(
            "events", pa.table({name: events[name] for name in COLUMNS} | {"pos": np.arange(len(events))})
        )
        rows = self.con.execute(
            f"select to_json(struct_pack({FIELD_LIST})) :: varchar from ({RECORD_SQL}) order by pos"
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def _csv_sql(self, n_bad: int) -> str:
        """pandas `to_csv(index=False)`: an id column with a gap turns float (`4720.0`), gaps are empty,
        `meta` is the Python repr of a dict (single quotes)."""
        if n_bad:
            raise ValueError("malformed rows go to a JSON Lines file, not into the CSV")
        columns = []
        for field in RECORD_FIELDS:
            if field in ID_FIELDS:
                columns.append(
                    f"""case when bool_or("{field}" is null) over ()
                        then cast(cast("{field}" as double) as varchar)
                        else cast("{field}" as varchar) end as "{field}\""""
                )
            elif field == "meta":
                # Our strings hold no quote, colon or comma, so the repr is a spelling change.
                columns.append(
                    """replace(replace(replace(replace(meta :: varchar, '"', ''''), ':', ': '), ',', ', '),
                        'null', 'None') as meta"""
                )
            else:
                columns.append(f'"{field}"')
        return f"select {', '.join(columns)} from ({RECORD_SQL}) order by pos"
