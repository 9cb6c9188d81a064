"""The dbt-duckdb plugin that hands the PII salt to DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from labeling_analytics.duckdb_plugin import SALT_ENV_VAR, read_salt, set_salt


def test_no_salt_means_personal_data_is_dropped() -> None:
    assert read_salt({}) is None
    assert read_salt({SALT_ENV_VAR: ""}) is None


def test_a_short_salt_is_refused_with_advice() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        read_salt({SALT_ENV_VAR: "short"})


def test_salt_reaches_duckdb_as_a_variable() -> None:
    salt = read_salt({SALT_ENV_VAR: "0123456789abcdef-salt"})
    with duckdb.connect() as connection:
        set_salt(connection, salt)
        assert connection.execute("select getvariable('pii_salt')").fetchall() == [(salt,)]
        set_salt(connection, None)
        assert connection.execute("select getvariable('pii_salt')").fetchall() == [(None,)]
