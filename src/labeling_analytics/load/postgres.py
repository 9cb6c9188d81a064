"""Ship landed exports into PostgreSQL's `landing` schema with COPY, in one transaction per load."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import psycopg2
from psycopg2 import sql

from .landing import ExportFile, new_rows_queries

DDL = """
create schema if not exists {schema};
create table if not exists {schema}.export_files (
    source_file text primary key,
    source_format text not null,
    size_bytes bigint,
    modified_at timestamp,
    raw_row_count bigint
);
create table if not exists {schema}.activity_records (
    source_file text not null,
    source_format text,
    source_row_number bigint not null,
    record_text text,
    primary key (source_file, source_row_number)
);
"""


def connect() -> psycopg2.extensions.connection:
    """The database of the `postgres` target, from the same environment variables as profiles.yml."""
    return psycopg2.connect(
        host=os.environ.get("LABELING_ANALYTICS_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("LABELING_ANALYTICS_PG_PORT", "5432")),
        user=os.environ.get("LABELING_ANALYTICS_PG_USER", "postgres"),
        password=os.environ.get("LABELING_ANALYTICS_PG_PASSWORD", ""),
        dbname=os.environ.get("LABELING_ANALYTICS_PG_DATABASE", "labeling_analytics"),
    )


class PostgresLanding:
    """The landing schema of a PostgreSQL database; use as a context manager (one transaction)."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.connection = connect()

    def __enter__(self) -> PostgresLanding:
        with self.connection.cursor() as cursor:
            cursor.execute(sql.SQL(DDL).format(schema=sql.Identifier(self.schema)))
            # One load at a time: a second one waits, then sees the first one's files as loaded.
            cursor.execute(sql.SQL("lock table {}.export_files in exclusive mode").format(sql.Identifier(self.schema)))
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.connection.commit()
        else:
            self.connection.rollback()
        self.connection.close()

    def loaded_files(self) -> dict[str, ExportFile]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "select source_file, source_format, size_bytes, modified_at, raw_row_count from {}.export_files"
                ).format(sql.Identifier(self.schema))
            )
            return {row[0]: ExportFile(*row) for row in cursor.fetchall()}

    def add(self, landing: duckdb.DuckDBPyConnection, new_files: list[str]) -> int:
        """Copy the new files' listing rows and records; return the number of records copied."""
        copied = 0
        with tempfile.TemporaryDirectory() as folder:
            for table, query in new_rows_queries(landing, new_files).items():
                path = Path(folder) / f"{table}.csv"
                # CSV: null is an empty field, an empty string is "" (PostgreSQL's COPY reads them the same way).
                landing.execute(f"copy ({query}) to '{path}' (format csv, header false)")
                with self.connection.cursor() as cursor, path.open(encoding="utf-8") as data:
                    cursor.copy_expert(
                        sql.SQL("copy {}.{} from stdin with (format csv)")
                        .format(sql.Identifier(self.schema), sql.Identifier(table))
                        .as_string(self.connection),
                        data,
                    )
                    if table == "activity_records":
                        copied = cursor.rowcount
        return copied
