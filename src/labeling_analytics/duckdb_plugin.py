"""A dbt-duckdb plugin that hands the personal-data salt to DuckDB without writing it into SQL.

The salt comes from the environment variable ``LABELING_ANALYTICS_PII_SALT`` and is set as the
DuckDB variable ``pii_salt`` on every cursor dbt opens. Models read it with ``getvariable``, so the
compiled SQL, ``target/`` and the docs site's manifest never contain it. Without the variable,
personal data is dropped instead of hashed (see the ``hash_pii`` macro).
"""

from __future__ import annotations

import os
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

SALT_ENV_VAR = "LABELING_ANALYTICS_PII_SALT"
SALT_VARIABLE = "pii_salt"
MIN_SALT_LENGTH = 16


def read_salt(environ: dict[str, str] | None = None) -> str | None:
    """Return the salt from the environment, or None when personal data is to be dropped."""
    env = os.environ if environ is None else environ
    salt = env.get(SALT_ENV_VAR, "")
    if not salt:
        return None
    if len(salt) < MIN_SALT_LENGTH:
        raise ValueError(
            f"{SALT_ENV_VAR} is {len(salt)} characters long; use at least {MIN_SALT_LENGTH} random "
            "characters (for example: python -c 'import secrets; print(secrets.token_hex(16))'), "
            "or unset it to drop personal data instead of hashing it."
        )
    return salt


def set_salt(cursor: duckdb.DuckDBPyConnection, salt: str | None) -> None:
    """Set (or clear) the DuckDB variable that the hash_pii macro reads."""
    cursor.execute(f"set variable {SALT_VARIABLE} = ?::varchar", [salt])


class Plugin(BasePlugin):
    """Sets the ``pii_salt`` variable on every connection and cursor that dbt uses."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._salt = read_salt()

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        set_salt(conn, self._salt)

    def configure_cursor(self, cursor: duckdb.DuckDBPyConnection) -> None:
        set_salt(cursor, self._salt)
