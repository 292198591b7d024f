"""Serving: gunicorn with two workers on the real store; security headers; a refresh swapped in
while serving; a worker killed under requests; a missing or corrupt database at start-up; an
interrupted build."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.load import router
from tools.browser import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_json(url: str, body: dict, timeout: float = 30) -> tuple[int, bytes]:
    return post_raw(url, json.dumps(body).encode(), timeout)


def post_raw(url: str, data: bytes, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start(db: Path, log: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ZICHTOP_DB": str(db)}
    proc = subprocess.Popen([str(GUNICORN), "--workers", str(workers), "--no-control-socket", "--bind",
                             f"127.0.0.1:{port}", "--graceful-timeout", "2", "app:server"],
                            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/assets/zichtop.css", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(log.read_text())


def wait_until(condition, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    """Poll a condition instead of sleeping a fixed time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {seconds} s")
        time.sleep(0.05)


def worker_pids(master: subprocess.Popen) -> list[int]:
    """gunicorn's worker processes: the master's children."""
    for _ in range(50):
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        if children:
            return [int(c) for c in children]
        time.sleep(0.1)
    raise AssertionError("gunicorn has no workers")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


ROUTER = router("/")  # the page callback, as a browser sends it (bench/load.py)


@pytest.fixture()
def served(built_db, tmp_path):
    db = tmp_path / "zichtop.duckdb"
    shutil.copyfile(built_db, db)
    proc, url = start(db, tmp_path / "gunicorn.log")
    yield proc, url, db
    stop(proc)
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


def test_health_and_security_headers(served):
    _, url, _ = served
    status, headers, body = get(url + "/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["status"] == "ok" and health["source"] == "mirror" and health["data_version"]
    status, headers, _ = get(url + "/")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_refresh_is_swapped_in_while_serving(served, tmp_path):
    _, url, db = served
    before = json.loads(get(url + "/healthz")[2])["data_version"]
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(db, fresh)
    import duckdb
    con = duckdb.connect(str(fresh))
    con.execute("UPDATE build_info SET built_at = '2099-01-01T00:00:00+00:00'")
    con.close()
    with ThreadPoolExecutor(8) as pool:  # users keep working during the swap
        futures = [pool.submit(post_json, url + "/_dash-update-component", ROUTER)
                   for _ in range(16)]
        wait_until(lambda: any(f.running() or f.done() for f in futures))
        os.replace(fresh, db)
        statuses = [f.result()[0] for f in futures]
    assert set(statuses) == {200}
    seen = {json.loads(get(url + "/healthz")[2])["data_version"] for _ in range(10)}
    assert seen == {"2099-01-01T00:00:00+00:00"} and before not in seen


def test_worker_killed_under_requests(served):
    proc, url, _ = served
    victim = worker_pids(proc)[0]
    results: list[int] = []

    def request_loop() -> None:
        for _ in range(10):
            status = 0
            for _attempt in range(3):  # a browser retries a request cut by a dying worker
                try:
                    status = post_json(url + "/_dash-update-component", ROUTER, timeout=20)[0]
                    break
                except (OSError, urllib.error.URLError, http.client.HTTPException):
                    time.sleep(0.3)
            results.append(status)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(request_loop) for _ in range(4)]
        wait_until(lambda: len(results) >= 2)  # users are at work when the worker dies
        os.kill(victim, signal.SIGKILL)
        for f in futures:
            f.result()
    assert results.count(200) == len(results) == 40
    assert proc.poll() is None  # the master lives on and replaces the worker
    wait_until(lambda: victim not in worker_pids(proc) and len(worker_pids(proc)) == 2)
    assert get(url + "/healthz")[0] == 200


@pytest.mark.parametrize("state", ["missing", "corrupt"])
def test_bad_database_at_startup(tmp_path, state):
    db = tmp_path / "zichtop.duckdb"
    if state == "corrupt":
        db.write_bytes(b"this is not a duckdb file" * 100)
    proc, url = start(db, tmp_path / "log.txt", workers=1)
    try:
        status, _, body = get(url + "/healthz")
        assert status == 503
        message = json.loads(body)["message"]
        assert message == "De gegevens zijn niet beschikbaar."
        assert str(db) not in body.decode()  # no paths, no DuckDB errors to the outside
        status, body = post_json(url + "/_dash-update-component", ROUTER)
        assert status == 200
        assert "De gegevens zijn niet beschikbaar" in body.decode()
    finally:
        stop(proc)
    assert "Traceback" not in (tmp_path / "log.txt").read_text()


def test_interrupted_build_leaves_old_data_served(built_db, tmp_path, mirror):
    db = tmp_path / "zichtop.duckdb"
    shutil.copyfile(built_db, db)
    before = db.read_bytes()
    env = {**os.environ, "ZICHTOP_DB": str(db), "ZICHTOP_SOURCE": "mirror"}
    build = subprocess.Popen([sys.executable, "-m", "zichtop.cli", "build", "--quiet"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # kill it once its temporary file holds data (the load step has written tables)
    wait_until(lambda: any(p.stat().st_size > 1_000_000 for p in
                           tmp_path.glob(".zichtop.duckdb.*.tmp")) or build.poll() is not None,
               seconds=60)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert db.read_bytes() == before
    leftovers = list(tmp_path.glob(".zichtop.duckdb.*.tmp"))
    assert leftovers  # killed without cleanup: the half-written file is there, unnamed
    # ... and is never opened: the app reads only the final name, and the next build clears it
    import duckdb
    assert duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM results").fetchone()[0] > 0
    from zichtop.pipeline.run import remove_stale_temporaries
    remove_stale_temporaries(db)
    assert not list(tmp_path.glob(".zichtop.duckdb.*.tmp"))


def test_build_running_out_of_disk(built_db, tmp_path):
    """A size-limited target (RLIMIT_FSIZE, 2 MB): a clear message, the old data intact, nothing
    half-written left behind."""
    import resource

    db = tmp_path / "zichtop.duckdb"
    shutil.copyfile(built_db, db)
    before = db.read_bytes()

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))

    env = {**os.environ, "ZICHTOP_DB": str(db), "ZICHTOP_SOURCE": "mirror"}
    result = subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--quiet"], env=env,
                            capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert result.returncode == 2, result.stderr
    assert "could not write" in result.stderr and "disk full" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".zichtop.duckdb.*"))
