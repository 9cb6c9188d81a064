"""Models hold no engine-specific SQL: every function or syntax that differs between DuckDB,
PostgreSQL and Spark is behind an `adapter.dispatch` macro in macros/. This scans the models for the
DuckDB-only spellings that crept in before (the parity test then proves the rest on each engine)."""

from __future__ import annotations

import re

import pytest

from .conftest import PROJECT_ROOT

MODELS = sorted((PROJECT_ROOT / "models").rglob("*.sql"))

# Spellings that one of the three engines does not have, or reads differently.
ENGINE_SPECIFIC = {
    "json functions": r"\bjson_[a-z_]+\s*\(|->>|\bto_json\s*\(|\bget_json_object\s*\(|\bfrom_json\s*\(",
    "lists and lambdas": r"\blist_[a-z_]+\s*\(|\blambda\b|\barray_agg\s*\(|\bunnest\s*\(|\bexplode\s*\(",
    "casts": r"::|\btry_cast\s*\(|\btry\s*\(",
    "epoch and timestamp functions": (
        r"\bepoch(_us|_ms|_ns)?\s*\(|\bmake_timestamp\w*\s*\(|\bto_timestamp\s*\(|\bstrftime\s*\(|\bstrptime\s*\("
        r"|\bunix_\w+\s*\(|\btimestamp_micros\s*\(|\bat\s+time\s+zone\b|\btimezone\s*\(|\bdate_diff\s*\("
        r"|\bdatediff\s*\(|\bdate_add\s*\(|\bdateadd\s*\(|\binterval\b"
    ),
    "arg_max / arg_min": r"\barg_(max|min)\s*\(|\b(max|min)_by\s*\(",
    "regular expressions": r"\bregexp_\w+\s*\(|\brlike\b|~\*?\s*'",
    "hashing": r"\b(sha256|sha2|md5|hash)\s*\(",
    "strings": r"\bstring_split\s*\(|\bsplit_part\s*\(|\bstarts_with\s*\(|\bstr_split\s*\(",
    "select * exclude / replace": r"\*\s*(exclude|replace)\s*\(",
    "group by all": r"\bgroup\s+by\s+all\b",
    "qualify": r"\bqualify\b",
    "file readers": r"\bread_(csv|json|parquet|text|blob)\w*\s*\(|\bglob\s*\(",
    "session variables": r"\bgetvariable\s*\(|\bcurrent_setting\s*\(",
}


def sql_of(path: str) -> str:
    """The model's own SQL: without comments (prose may name any function) and without Jinja (a macro
    call there is how engine-specific SQL is reached)."""
    text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", "", text).lower()


@pytest.mark.parametrize("path", [str(p.relative_to(PROJECT_ROOT)) for p in MODELS])
def test_a_model_has_no_engine_specific_sql(path: str) -> None:
    sql = sql_of(path)
    found = {kind: match.group(0) for kind, pattern in ENGINE_SPECIFIC.items() if (match := re.search(pattern, sql))}
    assert found == {}, f"{path}: move these behind an adapter.dispatch macro in macros/: {found}"


def test_the_scan_finds_engine_specific_sql() -> None:
    sql = "select arg_max(a, b), json_extract_string(r, '$.x'), x::bigint from t group by all qualify true"
    kinds = {kind for kind, pattern in ENGINE_SPECIFIC.items() if re.search(pattern, sql)}
    assert kinds == {"arg_max / arg_min", "json functions", "casts", "group by all", "qualify"}
