"""`dbt docs generate` on a built warehouse: every model and seed, and every column it has, is described."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Build, run_dbt


def test_every_table_and_column_is_described(simulated: tuple[Path, Build]) -> None:
    out, build = simulated
    workdir = build.database.parent
    result = run_dbt(["docs", "generate"], workdir, {"LABELING_ANALYTICS_RAW_DIR": str(out)})
    assert result.returncode == 0, result.stdout[-3000:]
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    catalog = json.loads((workdir / "target" / "catalog.json").read_text())
    undocumented = []
    for key, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed") or node["config"]["materialized"] == "ephemeral":
            continue
        table = catalog["nodes"][key]  # every table the build made is in the catalog
        columns = {name.lower() for name in table["columns"]}
        described = {name for name, column in node["columns"].items() if column.get("description")}
        if not node["description"]:
            undocumented.append(node["name"])
        undocumented += [f"{node['name']}.{name}" for name in sorted(columns - described)]
        undocumented += [f"{node['name']}.{name} (not in the table)" for name in sorted(set(node["columns"]) - columns)]
    assert undocumented == []
    assert any(node["name"] == "int_labeling_sessions" for node in manifest["nodes"].values())
