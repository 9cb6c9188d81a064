"""Fixtures that build real DuckDB warehouses with dbt, each in its own temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from labeling_analytics.simulator import NoiseRates, SimulationConfig, simulate

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
TEST_SALT = "pytest-salt-0123456789abcdef"


def output_dir(name: str) -> Path:
    """A folder under test-output/ (gitignored) for what a test leaves to look at: screenshots, figures."""
    folder = PROJECT_ROOT / "test-output" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Build:
    """A finished `dbt build` and the warehouse it wrote."""

    database: Path
    result: subprocess.CompletedProcess[str]

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.database), read_only=True)


def run_dbt(
    args: list[str], workdir: Path, env_overrides: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the project root against the `test` target, with files kept in `workdir`."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"),
        "LABELING_ANALYTICS_TEST_DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "LABELING_ANALYTICS_DUCKDB_TEMP_DIR": str(workdir / "tmp"),
        "LABELING_ANALYTICS_PII_SALT": TEST_SALT,
        **(env_overrides or {}),
    }
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt), *args, "--target", "test",
        "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
    ]  # fmt: skip
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)


def build_warehouse(raw_dir: Path, workdir: Path, extra_args: list[str] | None = None) -> Build:
    workdir.mkdir(parents=True, exist_ok=True)
    # As a user gives it: relative to the project when the folder is inside it.
    raw = raw_dir.relative_to(PROJECT_ROOT) if raw_dir.is_relative_to(PROJECT_ROOT) else raw_dir
    result = run_dbt(["build", *(extra_args or [])], workdir, {"LABELING_ANALYTICS_RAW_DIR": str(raw)})
    return Build(database=workdir / "warehouse.duckdb", result=result)


def project_copy(target: Path) -> Path:
    """The project's files (as a clean clone has them) with this .venv, which make treats as up to date."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT, capture_output=True, check=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.executable).parents[1])
    for name in ("pyproject.toml", "constraints.txt"):  # older than .venv/.installed: make installs nothing
        os.utime(target / name, (0, 0))
    return target


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample data built once for the session, with a PII salt set."""
    build = build_warehouse(SAMPLE_DIR, tmp_path_factory.mktemp("sample"))
    assert build.result.returncode == 0, build.result.stdout[-4000:] + build.result.stderr[-2000:]
    return build


@pytest.fixture
def sample_db(sample_build: Build) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = sample_build.connect()
    yield connection
    connection.close()


@pytest.fixture
def query(sample_db: duckdb.DuckDBPyConnection) -> Callable[..., list[tuple[object, ...]]]:
    def run(sql: str, *params: object) -> list[tuple[object, ...]]:
        return sample_db.execute(sql, list(params)).fetchall()

    return run


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    """Two simulated teams over eight days (a weekend included) in every export shape, with noise
    well above the defaults so that each kind occurs often, built once for the session:
    (exports folder, build)."""
    root = tmp_path_factory.mktemp("simulated")
    out = root / "exports"
    config = SimulationConfig(
        teams=2, users=6, days=8, seed=21, format="mixed", noise=NoiseRates(0.02, 0.2, 0.003, 0.3)
    )
    simulate(config, out, progress=False)
    build = build_warehouse(out, root / "dbt")
    assert build.result.returncode == 0, build.result.stdout[-4000:] + build.result.stderr[-2000:]
    return out, build


@pytest.fixture(scope="session")
def simulated_second_seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    """Another seed and shape: one larger team over ten days in JSON Lines, with the default
    noise, built once for the session: (exports folder, build)."""
    root = tmp_path_factory.mktemp("simulated-second-seed")
    out = root / "exports"
    simulate(SimulationConfig(teams=1, users=10, days=10, seed=5, format="jsonl"), out, progress=False)
    build = build_warehouse(out, root / "dbt")
    assert build.result.returncode == 0, build.result.stdout[-4000:] + build.result.stderr[-2000:]
    return out, build
