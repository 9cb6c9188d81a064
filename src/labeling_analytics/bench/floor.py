"""The floor: user_daily_activity's event counts in one DuckDB query over the raw JSON Lines.

Run as a child process (`python -m labeling_analytics.bench.floor ...`) so that its peak memory is
its own. It reads every file once and counts, per team, member and UTC day, the events and the
events of each category of the action catalog: the least work any build of that mart must do. It
skips what the warehouse must also do (parsing every field, deduplication, the quarantine), so
the warehouse is expected to be slower; the ratio says by how much."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import duckdb

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def categories(catalog: Path) -> list[str]:
    with catalog.open(encoding="utf-8", newline="") as handle:
        found = dict.fromkeys(row["category"] for row in csv.DictReader(handle))
    bad = [c for c in found if not IDENTIFIER.fullmatch(c)]
    if bad:
        raise ValueError(f"categories that cannot name a column in {catalog}: {bad}")
    return list(found)


def floor_sql(raw: Path, catalog: Path) -> str:
    counts = ",\n    ".join(
        f"count(*) filter (where catalog.category = {_literal(c)}) as {c}_events" for c in categories(catalog)
    )
    pattern = _literal(f"{raw}/team_id=*/**/*.jsonl")
    # Columns as text and ignore_errors: malformed lines and the non-UTF-8 file are skipped or
    # null, not fatal; the filters below drop what cannot be placed.
    return f"""
create table user_daily as
with raw as (
    select
        try_cast(regexp_extract(filename, 'team_id=(\\d+)', 1) as bigint) as team_id,
        try_cast(userId as bigint) as user_id,
        cast(try_cast("date" as timestamptz) as date) as activity_date,
        action
    from read_ndjson(
        {pattern},
        columns = {{'action': 'VARCHAR', 'date': 'VARCHAR', 'userId': 'VARCHAR'}},
        filename = true,
        ignore_errors = true
    )
)
select
    raw.team_id,
    raw.user_id,
    raw.activity_date,
    count(*) as events,
    {counts}
from raw
inner join read_csv({_literal(str(catalog))}, header = true, all_varchar = true) as catalog
    on raw.action = catalog.action
where raw.team_id is not null and raw.user_id is not null and raw.activity_date is not null
group by all
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--catalog", type=Path, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--memory-limit", required=True)
    parser.add_argument("--temp-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    # The settings dbt's profile gives DuckDB, so that both run under the same limits.
    config = {"threads": args.threads, "memory_limit": args.memory_limit, "temp_directory": str(args.temp_dir)}
    connection = duckdb.connect(config=config)
    connection.execute("set TimeZone = 'UTC'")
    connection.execute(floor_sql(args.raw, args.catalog))
    rows, events = connection.execute("select count(*), coalesce(sum(events), 0) from user_daily").fetchone() or (0, 0)
    print(json.dumps({"rows": int(rows), "events": int(events)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
