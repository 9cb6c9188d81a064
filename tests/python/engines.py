"""Throwaway engines for the parity tests: a PostgreSQL cluster on 127.0.0.1 and a local Spark
session, each in a temporary folder. What is missing is installed from Debian's packages (the
PostgreSQL server, a Java runtime) when the tests run as root on a Debian machine, as in CI."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

POSTGRES_PACKAGE = "postgresql-15"
JAVA_PACKAGE = "openjdk-17-jre-headless"


def install_debian_package(package: str, why: str) -> None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"{why}: install the Debian package {package} (apt-get install {package})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
        check=True,
        env=env,
        capture_output=True,
    )


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL (15 or later) server binaries, installed when there are none."""
    for _ in range(2):
        found = sorted(
            (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        )
        if found and int(found[-1].parent.name) >= 15:
            return found[-1]
        install_debian_package(POSTGRES_PACKAGE, "no PostgreSQL 15 server binaries under /usr/lib/postgresql")
    raise RuntimeError(f"{POSTGRES_PACKAGE} was installed but no initdb is under /usr/lib/postgresql")


def ensure_java() -> None:
    if shutil.which("java") is None:
        install_debian_package(JAVA_PACKAGE, "Spark needs a Java runtime and `java` is not on PATH")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str], user: str | None) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", user, "--", *command] if user else command


@contextmanager
def postgres_cluster(database: str = "labeling_analytics") -> Iterator[dict[str, str]]:
    """A new cluster in a temporary folder, started on 127.0.0.1 with a free port and one database;
    yields the environment variables of the `postgres` target. Stopped and removed after."""
    bin_dir = postgres_bin_dir()
    # Not under pytest's folders: those are private to root, and the server runs as another user.
    folder = Path(tempfile.mkdtemp(prefix="labeling-analytics-pg-"))
    user = None
    if os.geteuid() == 0:
        user = "postgres" if _user_exists("postgres") else "nobody"
    data = folder / "data"
    data.mkdir(parents=True)
    if user:
        shutil.chown(folder, user)
        shutil.chown(data, user)
    port = free_port()
    run = _run_checked
    run(
        _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"], user)
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"], user
        )
    )
    try:
        _wait_for(port)
        run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database])
        yield {
            "LABELING_ANALYTICS_PG_HOST": "127.0.0.1",
            "LABELING_ANALYTICS_PG_PORT": str(port),
            "LABELING_ANALYTICS_PG_USER": "postgres",
            "LABELING_ANALYTICS_PG_PASSWORD": "",
            "LABELING_ANALYTICS_PG_DATABASE": database,
        }
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _run_checked(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def _wait_for(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL did not accept connections on 127.0.0.1:{port} within {seconds:.0f} s")


def run_tool(args: list[str], env: dict[str, str], workdir: Path) -> subprocess.CompletedProcess[str]:
    """dbt (with its target/ and logs/ in `workdir`) or labeling-analytics, from the project root."""
    executable = str(Path(sys.executable).with_name(args[0]))
    extra = ["--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")] if args[0] == "dbt" else []
    full_env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"), **env}
    return subprocess.run(
        [executable, *args[1:], *extra], cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, check=False
    )


def check(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout
