"""The report's data: the marts of a built DuckDB warehouse, read read-only into a compact payload.

The payload keeps the day grain (one row per member and day, per team and day) so that the page can
filter by team and period itself; it holds columns (one list per field), not rows, which keeps the
embedded JSON small. Days are offsets from `first_day`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PAYLOAD_VERSION = 1
MARTS_SCHEMA = "marts"  # macros/utils/generate_schema_name.sql: custom schemas are used as named, on every target
# The marts the report reads; `member_performance` holds the same sums by day, week and month.
REQUIRED_MARTS = ("user_daily_activity", "users", "image_review_outcomes", "figure_lifecycle")

# user_daily_activity's measures, as the payload names them (the mart's names, kept for traceability).
DAY_MEASURES = (
    "events",
    "figures_created",
    "figures_updated",
    "figures_disabled",
    "figures_restored",
    "items_submitted",
    "accepted_as_labeler",
    "rejected_as_labeler",
    "reviews_performed",
)
DAY_SECONDS = ("active_labeling_seconds", "review_seconds")

# Items by the day of their first submission, followed to their latest status. Every count is a
# branch of the review funnel; see docs/report.md for how they partition the submitted items.
REVIEW_COUNTS = {
    "submitted": "true",
    "reviewed": "review_rounds > 0",
    "accepted": "is_accepted",
    "accepted_never_rejected": "is_accepted and rejections = 0",
    "rejected": "rejections > 0",
    "reworked": "resubmissions_after_rejection > 0",
    "reworked_accepted": "resubmissions_after_rejection > 0 and is_accepted",
    "first_pass_accepted": "is_first_pass_accepted",
    "first_pass_decided": "is_first_pass_accepted is not null",
}

# Columns added to an incremental mart after its first release: a warehouse built before lacks them
# until that mart is rebuilt in full.
LATER_COLUMNS = {"image_review_outcomes": ("resubmissions_after_rejection",)}

# Figures by the day they were created, and what became of them by the end of the log.
FIGURE_COUNTS = {
    "created": "true",
    "edited": "update_count > 0",
    "disabled": "not is_active",
    "restored": "restore_count > 0",
}


class ReportDataError(ValueError):
    """The warehouse cannot give the report its data; the message says what to do."""


@dataclass(frozen=True)
class Selection:
    """What to put in the report: some teams (all when empty) and an inclusive period (open ends allowed)."""

    team_ids: tuple[int, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only: the report never writes, and may run beside BI tools reading it."""
    if not database.is_file():
        raise ReportDataError(
            f"no warehouse at {database}: run `make build` first, or give --database "
            "(or set LABELING_ANALYTICS_DUCKDB_PATH) to a built one"
        )
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        # A running `dbt build` holds DuckDB's write lock; read-only opens wait for no one.
        raise ReportDataError(
            f"cannot open {database} read-only ({error}); is a `dbt build` still writing it?"
        ) from None
    except duckdb.Error as error:
        raise ReportDataError(f"{database} is not a DuckDB warehouse ({error})") from None


def marts_schema(connection: duckdb.DuckDBPyConnection) -> str:
    """The schema holding the marts: `marts` as the project names it, else one whose name ends in
    `marts` (dbt's default naming, `<target schema>_marts`, in a fork without the project's macro)."""
    rows = connection.execute(
        """
        select table_schema, count(distinct table_name)
        from information_schema.tables
        where table_catalog = current_database() and list_contains(?, table_name)
        group by table_schema
        """,
        [list(REQUIRED_MARTS)],
    ).fetchall()
    complete = sorted(schema for schema, tables in rows if tables == len(REQUIRED_MARTS))
    if MARTS_SCHEMA in complete:
        return MARTS_SCHEMA
    named = [schema for schema in complete if schema.endswith(MARTS_SCHEMA)]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise ReportDataError(f"several schemas hold the marts ({', '.join(named)}); keep one")
    raise ReportDataError(
        f"the warehouse has no marts (schema `{MARTS_SCHEMA}` with {', '.join(REQUIRED_MARTS)}): "
        "run `make build` first (a failed build leaves them out)"
    )


def check_columns(connection: duckdb.DuckDBPyConnection, schema: str, database: Path) -> None:
    """Fail with the command that fixes it when a mart predates a column the report reads."""
    for table, wanted in LATER_COLUMNS.items():
        have = {
            name
            for (name,) in connection.execute(
                """
                select column_name from information_schema.columns
                where table_catalog = current_database() and table_schema = ? and table_name = ?
                """,
                [schema, table],
            ).fetchall()
        }
        missing = [column for column in wanted if column not in have]
        if missing:
            raise ReportDataError(
                f"{schema}.{table} has no {', '.join(missing)}: it was built by an older version. Rebuild it "
                f"once in full: `LABELING_ANALYTICS_DUCKDB_PATH={database} .venv/bin/dbt build --target dev "
                f"--full-refresh --select {table} --profiles-dir profiles` (with LABELING_ANALYTICS_RAW_DIR "
                "as for `make build`)"
            )


def _where(selection: Selection, date_expression: str) -> tuple[str, list[object]]:
    """A filter on team and day, and its parameters."""
    clauses, parameters = [], []
    if selection.team_ids:
        clauses.append("list_contains(?, team_id)")
        parameters.append(list(selection.team_ids))
    if selection.since is not None:
        clauses.append(f"{date_expression} >= ?")
        parameters.append(selection.since)
    if selection.until is not None:
        clauses.append(f"{date_expression} <= ?")
        parameters.append(selection.until)
    return (" and ".join(clauses) or "true"), parameters


def _columns(connection: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[object]) -> dict[str, list[Any]]:
    """A query's result as {column: values}."""
    cursor = connection.execute(sql, list(parameters))
    names = [column[0] for column in cursor.description or []]
    rows = cursor.fetchall()
    return {name: [row[index] for row in rows] for index, name in enumerate(names)}


def _check_teams(connection: duckdb.DuckDBPyConnection, schema: str, team_ids: Sequence[int]) -> list[int]:
    known = [
        team for (team,) in connection.execute(f"select distinct team_id from {schema}.users order by 1").fetchall()
    ]
    if not known:
        raise ReportDataError("the marts are empty: build the warehouse on exports first (`make build`)")
    missing = sorted(set(team_ids) - set(known))
    if missing:
        raise ReportDataError(
            f"no team {', '.join(map(str, missing))} in the warehouse; its teams: {', '.join(map(str, known))}"
        )
    return sorted(set(team_ids)) if team_ids else known


def load_payload(database: Path, selection: Selection | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the page shows, for the selected teams and period (default: all of it)."""
    selection = selection or Selection()
    if selection.since and selection.until and selection.since > selection.until:
        raise ReportDataError(f"--since {selection.since} is after --until {selection.until}")
    connection = connect(database)
    try:
        schema = marts_schema(connection)
        check_columns(connection, schema, database)
        teams = _check_teams(connection, schema, selection.team_ids)
        return _payload(connection, schema, Selection(tuple(teams), selection.since, selection.until), database, now)
    finally:
        connection.close()


def _payload(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    selection: Selection,
    database: Path,
    now: dt.datetime | None,
) -> dict[str, Any]:
    day_filter, day_parameters = _where(selection, "activity_date")
    review_filter, review_parameters = _where(selection, "cast(first_submitted_at as date)")
    figure_filter, figure_parameters = _where(selection, "cast(created_at as date)")

    # The days the report spans: the period asked for, else the data's first and last day.
    span = connection.execute(
        f"""
        select min(day), max(day) from (
            select activity_date as day from {schema}.user_daily_activity where {day_filter}
            union all
            select cast(first_submitted_at as date) from {schema}.image_review_outcomes
            where submissions > 0 and {review_filter}
            union all
            select cast(created_at as date) from {schema}.figure_lifecycle
            where created_at is not null and {figure_filter}
        )
        """,
        [*day_parameters, *review_parameters, *figure_parameters],
    ).fetchone()
    if span is None or span[0] is None:
        period = f" between {selection.since or 'the start'} and {selection.until or 'the end'}"
        raise ReportDataError(
            f"no activity in the warehouse for team(s) {', '.join(map(str, selection.team_ids))}"
            + (period if selection.since or selection.until else "")
            + f"; widen --since/--until (the data spans {_data_span(connection, schema)})"
        )
    first_day: dt.date = selection.since or span[0]
    last_day: dt.date = selection.until or span[1]

    measures = ",\n".join(f"days.{name}" for name in DAY_MEASURES)
    seconds = ",\n".join(f"round(days.{name}, 3) as {name}" for name in DAY_SECONDS)
    days = _columns(
        connection,
        f"""
        select
            days.team_id,
            days.user_id,
            datediff('day', ?::date, days.activity_date) as day,
            {measures},
            {seconds}
        from {schema}.user_daily_activity as days
        where {day_filter}
        order by days.team_id, days.user_id, days.activity_date
        """,
        [first_day, *day_parameters],
    )
    members = _columns(
        connection,
        f"""
        with active as (
            select distinct team_id, user_id from {schema}.user_daily_activity where {day_filter}
        )
        select
            active.team_id,
            active.user_id,
            -- names only where the project publishes them (var publish_user_names), else `user <id>`
            coalesce(users.user_name, users.user_label, 'user ' || active.user_id) as label
        from active
        left join {schema}.users as users using (team_id, user_id)
        order by active.team_id, active.user_id
        """,
        day_parameters,
    )
    # Member rows point into the members table by position: the payload says each id once.
    position = {key: index for index, key in enumerate(zip(members["team_id"], members["user_id"], strict=True))}
    member_index = [position[key] for key in zip(days.pop("team_id"), days.pop("user_id"), strict=True)]

    review = _cohort_counts(
        connection, f"{schema}.image_review_outcomes", "first_submitted_at", REVIEW_COUNTS,
        f"submissions > 0 and {review_filter}", [first_day, *review_parameters],
    )  # fmt: skip
    figures = _cohort_counts(
        connection, f"{schema}.figure_lifecycle", "created_at", FIGURE_COUNTS,
        f"created_at is not null and {figure_filter}", [first_day, *figure_parameters],
    )  # fmt: skip
    last_event = connection.execute(
        f"select max(last_event_at) from {schema}.user_daily_activity where {day_filter}", day_parameters
    ).fetchone()
    generated = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return {
        "version": PAYLOAD_VERSION,
        "generated_at": generated.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "source": {
            "database": database.name,
            "schema": schema,
            "last_event_at": _iso(last_event[0] if last_event else None),
        },
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "teams": list(selection.team_ids),
        "members": members,
        "days": {"member": member_index, **days},
        "review": review,
        "figures": figures,
    }


def _cohort_counts(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    day_column: str,
    counts: dict[str, str],
    where: str,
    parameters: list[Any],
) -> dict[str, list[Any]]:
    """Rows of `table` per team and UTC day of `day_column` (an offset from the first parameter,
    the report's first day), counted by each rule of `counts`."""
    rules = ",\n".join(f"count(*) filter (where {rule}) as {name}" for name, rule in counts.items())
    return _columns(
        connection,
        f"""
        select
            team_id,
            datediff('day', ?::date, cast({day_column} as date)) as day,
            {rules}
        from {table}
        where {where}
        group by all
        order by team_id, day
        """,
        parameters,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _data_span(connection: duckdb.DuckDBPyConnection, schema: str) -> str:
    row = connection.execute(f"select min(activity_date), max(activity_date) from {schema}.user_daily_activity")
    first, last = row.fetchone() or (None, None)
    return "no days at all" if first is None else f"{first} to {last}"
