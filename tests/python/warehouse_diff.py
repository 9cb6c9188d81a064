"""Compare the tables of two DuckDB warehouse files, row for row, as multisets.

Both files are attached read-only to one in-memory DuckDB; the tables are discovered from
`information_schema`, so a new model is compared without a change here. Two tables are equal when
they hold the same columns (name and type) and the same rows as many times each
(`EXCEPT ALL` both ways), after leaving out the columns a caller says to leave out.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Lineage columns that record when a row was written, not what it says: two warehouses built at
# different times (or one table rebuilt by a later run) differ in them by design. Every other column
# is compared, lineage of the delivery included (source file and row, delivery count, file sizes
# and modification times): those must not depend on how many runs it took to load the files.
LINEAGE_COLUMNS = frozenset({"loaded_at", "refreshed_at"})
LINEAGE_PREFIX = "_"  # dbt's and the engineer's bookkeeping columns (`_dbt_...`, `_loaded_batch`, ...)


def is_lineage(column: str) -> bool:
    return column.lower() in LINEAGE_COLUMNS or column.startswith(LINEAGE_PREFIX)


# Floating-point columns are compared after rounding to 9 significant digits, but never finer than
# 1e-6 absolute: a sum of doubles depends on the order of its terms, and an incremental model adds
# the same terms in another order (by batch) than a full refresh does, so equal sums may differ in
# their last bits, and a sum that should be 0 may be 1e-13. The measures here are seconds kept to
# the millisecond and ratios, so neither rounding can hide a real difference. Two values a few bits
# apart can still round apart when they straddle a rounding boundary; at 9 digits that happens
# about once in 1e7 values.
FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT", "REAL"})
SIGNIFICANT_DIGITS = 9
ABSOLUTE_DECIMALS = 6


def float_canonical(column_sql: str) -> str:
    """SQL for a double rounded as above; `+ 0.0` turns -0.0 into 0.0. NaN, infinities and nulls
    stay as they are (DuckDB's EXCEPT ALL takes NaN as equal to NaN and null to null)."""
    x = f"cast({column_sql} as double)"
    decimals = f"least({ABSOLUTE_DECIMALS}, {SIGNIFICANT_DIGITS - 1} - cast(floor(log10(abs({x}))) as integer))"
    return f"case when isfinite({x}) and {x} <> 0 then round({x}, {decimals}) + 0.0 else {x} + 0.0 end"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class TableDiff:
    """One table compared: rows on each side and the rows only one side holds (first few)."""

    table: str  # schema.name
    compared_columns: tuple[str, ...]
    excluded_columns: tuple[str, ...]
    rows: tuple[int | None, int | None]  # None: the table is missing on that side
    only: tuple[int, int]  # rows only on the left, only on the right
    samples: tuple[list[dict[str, object]], list[dict[str, object]]]
    problem: str = ""  # a difference of tables or columns, found before any row is compared

    @property
    def equal(self) -> bool:
        return not self.problem and self.only == (0, 0)


@dataclass(frozen=True)
class Comparison:
    labels: tuple[str, str]
    tables: tuple[TableDiff, ...]

    @property
    def equal(self) -> bool:
        return all(table.equal for table in self.tables)

    def tables_in(self, schema: str) -> list[TableDiff]:
        return [table for table in self.tables if table.table.split(".", 1)[0] == schema]

    def summary(self) -> str:
        """One line per table: its rows on each side, and whether they agree."""
        left, right = self.labels
        lines = [f"{'table':<56} {left:>14} {right:>14}"]
        for table in self.tables:
            status = "ok" if table.equal else "DIFFERENT"
            n_left, n_right = (str(n) if n is not None else "missing" for n in table.rows)
            lines.append(f"{table.table:<56} {n_left:>14} {n_right:>14}  {status}")
        return "\n".join(lines)

    def report(self, detailed_tables: int = 8) -> str:
        """The summary, then for the first tables that differ what differs, with their first rows."""
        parts = [self.summary()]
        different = [table for table in self.tables if not table.equal]
        if different:
            parts.append("(rows are shown as compared: doubles rounded, left-out columns dropped)")
        for table in different[:detailed_tables]:
            parts.extend(_table_report(table, self.labels))
        if len(different) > detailed_tables:
            parts.append(f"\n... and {len(different) - detailed_tables} more tables differ (see the summary)")
        return "\n".join(parts)


def _table_report(table: TableDiff, labels: tuple[str, str]) -> list[str]:
    left, right = labels
    lines = [f"\n== {table.table}: {left} {table.rows[0]} rows, {right} {table.rows[1]} rows"]
    if table.problem:
        return [*lines, table.problem]
    if table.excluded_columns:
        lines.append(f"(not compared: {', '.join(table.excluded_columns)})")
    lines.append(f"{_rows(table.only[0])} only in {left}, {_rows(table.only[1])} only in {right}")
    pairs = _pairs(table)
    if pairs and len(pairs) == len(table.samples[0]) == len(table.samples[1]):
        # The first rows of each side, sorted by every column, pair up: most likely the same rows
        # with a few values changed. Show one whole, then only what changed.
        lines.append(f"  first row only in {left}:  {_short(table.samples[0][0])}")
        lines.append(f"  first row only in {right}: {_short(table.samples[1][0])}")
        lines.append(
            f"  the first {_rows(len(pairs))} of each side, paired in order, differ only in ({left} / {right}):"
        )
        lines.extend(f"    row {i + 1}: {pair}" for i, pair in enumerate(pairs))
        return lines
    for label, sample in zip(labels, table.samples, strict=True):
        if sample:
            lines.append(f"  the first {_rows(len(sample))} only in {label}:")
            lines.extend(f"    {_short(row)}" for row in sample)
    return lines


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _pairs(table: TableDiff) -> list[str]:
    """For rows at the same place in both samples, the few columns they differ in ('' when they
    differ in more than a quarter of their columns: not the same row)."""
    pairs = []
    for left, right in zip(*table.samples, strict=False):
        changed = [column for column in left if left[column] != right.get(column)]
        if not changed or len(changed) > max(1, len(left) // 4):
            return []
        pairs.append(", ".join(f"{column}: {left[column]!r} / {right[column]!r}" for column in changed))
    return pairs


def _short(row: dict[str, object], width: int = 80) -> str:
    cells = []
    for name, value in row.items():
        text = repr(value)
        cells.append(f"{name}={text if len(text) <= width else text[: width - 3] + '...'}")
    return "{" + ", ".join(cells) + "}"


def copy_warehouse(database: Path, target: Path) -> Path:
    """A copy of a warehouse file (and its write-ahead log, if any) that no later run touches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(database, target)
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + ".wal"))
    return target


def compare_warehouses(
    left: Path,
    right: Path,
    schemas: Sequence[str],
    labels: tuple[str, str] = ("left", "right"),
    exclude: Callable[[str, str], bool] | None = None,
    only: Collection[str] | None = None,
    sample_rows: int = 5,
) -> Comparison:
    """Compare every table of `schemas` in two warehouse files (or the tables `only` names, as
    `schema.name`). `exclude(table, column)` says which columns to leave out; by default the
    lineage columns."""
    excluded = exclude or (lambda _table, column: is_lineage(column))
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{_sql_text(left)}' as lhs (read_only)")
        connection.execute(f"attach '{_sql_text(right)}' as rhs (read_only)")
        left_tables = _tables(connection, "lhs", schemas)
        right_tables = _tables(connection, "rhs", schemas)
        diffs = []
        for table in sorted(left_tables.keys() | right_tables.keys()):
            if only is not None and table not in only:
                continue
            diffs.append(
                _compare_table(
                    connection, table, left_tables.get(table), right_tables.get(table), excluded, sample_rows
                )
            )
        return Comparison(labels=labels, tables=tuple(diffs))
    finally:
        connection.close()


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


Columns = dict[str, str]  # column name -> data type, in table order


def _tables(connection: duckdb.DuckDBPyConnection, catalog: str, schemas: Iterable[str]) -> dict[str, Columns]:
    """Tables of `schemas` in `catalog` with their columns. Views are refused: their SQL names the
    catalog they were made in, which is not the alias it is attached under here."""
    schema_list = list(schemas)
    placeholders = ", ".join("?" for _ in schema_list)
    found = connection.execute(
        f"""
        select tables.table_schema, tables.table_name, tables.table_type,
            list(columns.column_name order by columns.ordinal_position),
            list(columns.data_type order by columns.ordinal_position)
        from information_schema.tables as tables
        inner join information_schema.columns as columns
            on columns.table_catalog = tables.table_catalog
            and columns.table_schema = tables.table_schema
            and columns.table_name = tables.table_name
        where tables.table_catalog = ? and tables.table_schema in ({placeholders})
        group by all
        """,
        [catalog, *schema_list],
    ).fetchall()
    views = [f"{schema}.{name}" for schema, name, kind, _, _ in found if kind != "BASE TABLE"]
    if views:
        raise NotImplementedError(f"views are not compared (read them into tables first): {views}")
    return {f"{schema}.{name}": dict(zip(names, types, strict=True)) for schema, name, _, names, types in found}


def _compare_table(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    left: Columns | None,
    right: Columns | None,
    excluded: Callable[[str, str], bool],
    sample_rows: int,
) -> TableDiff:
    schema, name = table.split(".", 1)
    relation = f"{quote(schema)}.{quote(name)}"
    rows = (
        _count(connection, f"select count(*) from lhs.{relation}") if left is not None else None,
        _count(connection, f"select count(*) from rhs.{relation}") if right is not None else None,
    )
    if left is None or right is None:
        return TableDiff(table, (), (), rows, (0, 0), ([], []), problem="the table is missing on one side")
    dropped = tuple(column for column in {**left, **right} if excluded(table, column))
    left_kept = {column: kind for column, kind in left.items() if column not in dropped}
    right_kept = {column: kind for column, kind in right.items() if column not in dropped}
    if left_kept != right_kept:
        problem = "the columns differ:\n" + "\n".join(
            f"  {column}: {left_kept.get(column, 'missing')} / {right_kept.get(column, 'missing')}"
            for column in {**left_kept, **right_kept}
            if left_kept.get(column) != right_kept.get(column)
        )
        return TableDiff(table, (), dropped, rows, (0, 0), ([], []), problem=problem)
    nested_floats = [c for c, kind in left_kept.items() if kind not in FLOAT_TYPES and _holds_float(kind)]
    if nested_floats:
        raise NotImplementedError(f"{table}: floats inside nested columns are not rounded yet: {nested_floats}")
    projection = ", ".join(
        f"{float_canonical(quote(column))} as {quote(column)}" if kind in FLOAT_TYPES else quote(column)
        for column, kind in left_kept.items()
    )
    only = []
    samples = []
    for this, other in (("lhs", "rhs"), ("rhs", "lhs")):
        connection.execute(
            f"""
            create or replace temp table difference as
            select {projection} from {this}.{relation} except all select {projection} from {other}.{relation}
            """
        )
        only.append(_count(connection, "select count(*) from difference"))
        cursor = connection.execute(f"select * from difference order by all limit {int(sample_rows)}")
        names = [column[0] for column in cursor.description]
        samples.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    return TableDiff(table, tuple(left_kept), dropped, rows, (only[0], only[1]), (samples[0], samples[1]))


def _holds_float(data_type: str) -> bool:
    return re.search(r"\b(DOUBLE|FLOAT|REAL)\b", data_type.upper()) is not None


def _count(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return int(row[0])
