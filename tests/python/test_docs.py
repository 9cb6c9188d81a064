"""`dbt docs generate` on a built warehouse: every model and seed, and every column it has, is described."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .browser import chromium, watched_page
from .conftest import Build, output_dir, run_dbt


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


def test_every_mart_is_under_contract_keyed_and_exposed(simulated: tuple[Path, Build]) -> None:
    """What BI users rely on: enforced column names and types, a primary-key test, and an
    exposure that records which dashboard reads the mart."""
    manifest = json.loads((simulated[1].database.parent / "target" / "manifest.json").read_text())
    marts = {
        key: node
        for key, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    assert len(marts) >= 10
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    exposed = {parent for exposure in manifest["exposures"].values() for parent in exposure["depends_on"]["nodes"]}
    problems = []
    for key, node in marts.items():
        name = node["name"]
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
        columns = node["columns"].items()
        problems += [f"{name}.{column}: no data_type" for column, spec in columns if not spec["data_type"]]
        on_model = [(t.get("test_metadata", {}).get("name"), t) for t in tests if t.get("attached_node") == key]
        unique_columns = {t["column_name"] for kind, t in on_model if kind == "unique"}
        not_null_columns = {t["column_name"] for kind, t in on_model if kind == "not_null"} | {
            column
            for column, spec in node["columns"].items()
            if any(c["type"] in ("not_null", "primary_key") for c in spec["constraints"])
        }
        has_key = bool(unique_columns & not_null_columns) or any(
            kind == "unique_combination_of_columns" for kind, _ in on_model
        )
        if not has_key:
            problems.append(f"{name}: no primary-key test")
        if key not in exposed:
            problems.append(f"{name}: no exposure depends on it")
    assert problems == []


def test_the_docs_site_is_one_offline_file_with_every_model_and_metric(
    simulated: tuple[Path, Build], tmp_path: Path
) -> None:
    """`make docs`'s file: `dbt docs generate --static` embeds the manifest and catalog and every
    script, so it opens from disk, without a server or the network, and lists the semantic layer."""
    out, build = simulated
    workdir = build.database.parent
    result = run_dbt(["docs", "generate", "--static"], workdir, {"LABELING_ANALYTICS_RAW_DIR": str(out)})
    assert result.returncode == 0, result.stdout[-3000:]
    site = workdir / "target" / "static_index.html"
    html = site.read_text()
    assert re.findall(r"<script[^>]*\ssrc=", html) == []
    assert re.findall(r"<link[^>]*stylesheet[^>]*>", html) == []
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    semantic = [*manifest["semantic_models"], *manifest["metrics"]]
    assert len(manifest["metrics"]) >= 9 and len(manifest["semantic_models"]) >= 5
    assert [key for key in semantic if f'"{key}"' not in html] == []
    undescribed = [
        key for key, node in (manifest["semantic_models"] | manifest["metrics"]).items() if not node["description"]
    ]
    assert undescribed == []

    with chromium() as browser:
        page, log = watched_page(browser)
        page.goto(site.as_uri() + "#!/model/model.labeling_analytics.member_job_daily_activity")
        page.get_by_text("One row per team, member, labeling job and day").wait_for(timeout=30_000)
        page.goto(site.as_uri() + "#!/metric/metric.labeling_analytics.labeling_speed")
        page.get_by_text("Objects created per active labeling hour").first.wait_for(timeout=30_000)
        page.screenshot(path=str(output_dir("docs") / "docs-metric.png"))
    # dbt's own page logs errors on file:// (an icon template it loads as a URL); none leave the machine
    assert log.remote_requests == []
