"""Shared fixtures: the real mirror beside the checkout and one real store built from it."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tools.browser import free_port, wait_until_up
from zichtop.core.config import DEFAULT_MIRROR, REPO_ROOT, Settings
from zichtop.pipeline.run import build

MIRROR = DEFAULT_MIRROR


@pytest.fixture(scope="session")
def mirror() -> Path:
    assert (MIRROR / "cbs" / "MANIFEST.csv").is_file(), f"the CBS mirror is missing at {MIRROR}"
    return MIRROR


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Path:
    """One real build from the mirror per run of the suite, shared by the read-only tests: with
    parallel workers (pytest-xdist) the first one builds it and the others wait for that build
    (a file lock in the run's shared temporary folder)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    path = root / "shared_store" / "zichtop.duckdb"
    path.parent.mkdir(exist_ok=True)
    with open(root / "shared_store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            build(Settings(source="mirror", mirror_dir=mirror, db_path=path))
    return path


@pytest.fixture(scope="session")
def con(built_db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(built_db), read_only=True)


@pytest.fixture()
def scratch_mirror(tmp_path: Path, mirror: Path) -> Path:
    """A writable mirror for bad-input tests: links to the real files, which tests replace."""
    root = tmp_path / "mirror"
    for sub in ("cbs", "geo", "crosswalk"):
        (root / sub).mkdir(parents=True)
        for f in (mirror / sub).iterdir():
            (root / sub / f.name).symlink_to(f)
    for other in mirror.iterdir():  # statline/ and whatever else: linked whole
        if other.is_dir() and not (root / other.name).exists():
            (root / other.name).symlink_to(other)
    return root


def replace_file(mirror_root: Path, table_id: str, content: bytes) -> Path:
    target = mirror_root / "cbs" / f"{table_id}.csv"
    target.unlink()
    target.write_bytes(content)
    return target


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def server(built_db, tmp_path_factory):
    """One real app process on loopback for the browser tests."""
    port = free_port()
    env = {**os.environ, "ZICHTOP_DB": str(built_db)}
    log = tmp_path_factory.mktemp("app") / "app.log"
    handle = log.open("wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py"), "--port", str(port)],
                            env=env, cwd=REPO_ROOT, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(url + "/healthz", 20):
        proc.kill()
        raise RuntimeError(log.read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    handle.close()
    output = log.read_text()
    assert "Traceback" not in output, output
