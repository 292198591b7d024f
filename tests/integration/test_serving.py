"""Serving: gunicorn with two workers on the real store; security headers; a refresh swapped in
while serving; a worker killed under requests; a missing or corrupt database at start-up; an
interrupted build. Through the hosted set-up of `make serve` (nginx + gunicorn): nginx's own
answers in Dutch with the app's headers, rate limits that spare the health check and static
files, logs kept with a request id a user can report, and Cache-Control on every response."""

from __future__ import annotations

import http.client
import json
import os
import re
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

from bench.load import router, switch
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
SWITCH = switch("drugs_verdachten", "2024JJ00")  # the map's callback


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


# --- the hosted set-up of `make serve` (nginx + gunicorn, zichtop/hosting/serve.py) ----------

def raw_request(url: str, method: str, path: str, headers: dict | None = None,
                body: bytes | None = None) -> tuple[int, dict, bytes]:
    """A request sent as given (urllib would refuse or rewrite TRACE and odd paths)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def hosted(built_db, tmp_path_factory):
    from zichtop.hosting import serve

    folder = tmp_path_factory.mktemp("hosted")
    db = folder / "zichtop.duckdb"
    shutil.copyfile(built_db, db)
    server = serve.start(serve.free_port(), db, logs=folder / "logs",
                         env={**os.environ, "HOME": str(folder)})
    yield server
    server.stop()
    assert "Traceback" not in server.logs.app.read_text()


def app_headers(url: str) -> dict:
    status, headers, _ = get(url + "/")
    assert status == 200
    return headers


def assert_dutch_error(status: int, headers: dict, body: bytes, expected: int, app: dict,
                       words: str) -> str:
    """nginx's own answer: the app's JSON shape in Dutch with its code, and the app's headers."""
    assert status == expected, body[:200]
    answer = json.loads(body)
    assert words in answer["message"] and "Bad Request" not in body.decode()
    assert answer["message"].endswith(f"(foutcode {answer['foutcode']})")
    assert headers["X-Request-ID"] == answer["foutcode"]
    assert headers["Content-Type"].startswith("application/json")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                 "X-Frame-Options"):
        assert headers[name] == app[name], name
    assert headers["Cache-Control"] == "no-store"
    return str(answer["foutcode"])


@pytest.mark.parametrize("method, path, extra, expected, words", [
    ("GET", "/gemeente/GM0363%00", {}, 400, "Ongeldig verzoek"),
    ("GET", "/%2e%2e/%2e%2e/etc/passwd", {}, 400, "Ongeldig verzoek"),
    ("TRACE", "/", {}, 405, "niet toegestaan"),
    ("GET", "/" + "a" * 9000, {}, 414, "adres is te lang"),
    ("GET", "/", {"X-Groot": "b" * 9000}, 400, "kopregels van het verzoek zijn te groot"),
    ("GET", "/_zichtop_fout/400", {}, 404, "bestaat niet"),  # the error pages are internal
])
def test_proxy_answers_in_dutch_with_the_apps_headers(hosted, method, path, extra, expected,
                                                      words):
    app = app_headers(hosted.url)
    assert "frame-ancestors 'none'" in app["Content-Security-Policy"]
    assert_dutch_error(*raw_request(hosted.url, method, path, extra), expected, app, words)


def test_health_and_static_files_are_never_rate_limited(built_db, tmp_path):
    """A burst from one address: pages and callbacks get 429 (in Dutch) once the address is over
    its limit (1/s, burst 5 here), the health check and static files never do."""
    from zichtop.hosting import serve

    db = tmp_path / "zichtop.duckdb"
    shutil.copyfile(built_db, db)
    docs = (ROOT / "docs" / "operations.md").read_text()
    assert f"{serve.RATE} requests/s per address, burst {serve.BURST}" in docs
    with serve.start(serve.free_port(), db, workers=1, logs=tmp_path / "logs",
                     rate=1, burst=5) as server:
        status, headers, page = get(server.url + "/")
        app = {k: headers[k] for k in ("Content-Security-Policy", "X-Content-Type-Options",
                                       "Referrer-Policy", "X-Frame-Options")}
        script = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page.decode())[0]
        with ThreadPoolExecutor(8) as pool:
            limited = list(pool.map(lambda _: raw_request(server.url, "GET",
                                                          "/_dash-dependencies"), range(30)))
            assert sum(s == 429 for s, _, _ in limited) >= 15  # the limit is on
            answer = next(a for a in limited if a[0] == 429)
            assert_dutch_error(*answer, 429, app, "Te veel verzoeken")
            static = ["/healthz"] * 30 + ["/assets/zichtop.css", script, "/_favicon.ico",
                                          "/grenzen/GM.geojson"] * 5
            statuses = list(pool.map(lambda p: get(server.url + p)[0], static))
        assert statuses == [200] * len(static)


def test_no_process_writes_to_dev_null(hosted):
    """gunicorn's master and workers and nginx's master and worker write to pipes that serve.py
    copies into the log folder; none has /dev/null open for writing (stdin may be it)."""
    procs = []
    for master in (hosted.gunicorn, hosted.nginx):
        procs.append(master.pid)
        procs += [int(c) for c in Path(f"/proc/{master.pid}/task/{master.pid}/children")
                  .read_text().split()]
    assert len(procs) >= 4
    for pid in procs:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
                info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
            except FileNotFoundError:  # closed meanwhile (a worker's database or socket)
                continue
            if target == os.devnull:
                flags = int(re.search(r"flags:\s+(\d+)", info).group(1), 8)
                assert fd.name == "0" and flags & os.O_ACCMODE == os.O_RDONLY, (pid, fd.name)
        assert os.readlink(f"/proc/{pid}/fd/1").startswith("pipe:")
        assert os.readlink(f"/proc/{pid}/fd/2") == os.readlink(f"/proc/{pid}/fd/1")
    assert hosted.logs.app.parent == hosted.logs.proxy.parent
    assert {hosted.logs.app.name, hosted.logs.proxy.name} == {"zichtop.log", "nginx.log"}


def logged(path: Path, *words: str) -> str:
    """The log line holding all words (the copy into the file runs in its own thread)."""
    found: list[str] = []
    wait_until(lambda: found.extend(line for line in path.read_text().splitlines()
                                    if all(w in line for w in words)) or bool(found))
    return found[0]


def test_failure_code_is_found_in_the_logs(hosted):
    """The code in a Dutch error message finds the request in the log: the app's line and
    gunicorn's and nginx's lines for the request carry it."""
    status, body = post_raw(hosted.url + "/_dash-update-component",
                            json.dumps({**ROUTER, "outputs": "x"}).encode())
    assert status == 400
    message = json.loads(body)["message"]
    code = re.fullmatch(r"Ongeldig verzoek: .* \(foutcode ([0-9a-f]{32})\)", message).group(1)
    assert "refused callback request" in logged(hosted.logs.app, f"request={code}", "WARNING")
    assert '"POST /_dash-update-component HTTP/1.1" 400' in logged(hosted.logs.app,
                                                                   f"request={code}", "POST")
    assert " 400 " in logged(hosted.logs.proxy, f"request={code}")
    # the id is nginx's own: one a client sends is replaced, so it cannot name another request
    _, headers, _ = raw_request(hosted.url, "GET", "/healthz", {"X-Request-ID": code})
    assert re.fullmatch("[0-9a-f]{32}", headers["X-Request-ID"]) and headers["X-Request-ID"] != code
    # an answer nginx gives itself
    *_, body = raw_request(hosted.url, "GET", "/gemeente/GM0363%00")
    code = json.loads(body)["foutcode"]
    assert "GM0363%00" in logged(hosted.logs.proxy, f"request={code}", " 400 ")


def test_callback_failure_shows_its_code_in_the_banner(built_db, tmp_path):
    """A callback failing on a missing database: the banner's Dutch message carries the code,
    and the app log's line about the failure carries the same code."""
    from zichtop.hosting import serve

    with serve.start(serve.free_port(), tmp_path / "missing.duckdb", workers=1, threads=2,
                     logs=tmp_path / "logs") as server:
        status, body = post_json(server.url + "/_dash-update-component", SWITCH)
        assert status == 200
        banner = json.loads(body)["sideUpdate"]["app-melding"]["children"]
        assert banner.startswith("De gegevens zijn niet beschikbaar")
        code = re.search(r"\(foutcode ([0-9a-f]{32})\)$", banner).group(1)
        assert "callback failed: ZichtopError" in logged(server.logs.app, f"request={code}")


def test_failed_callback_answer_is_not_cached(built_db, monkeypatch):
    """A callback that failed answers 200 with the banner and its foutcode; the response cache
    must not replay that answer (with another request's code) once the fault has passed."""
    from zichtop.read import queries
    from zichtop.web.app import create_app

    client = create_app(built_db).server.test_client()
    client.get("/")
    real = queries.indicator_results
    monkeypatch.setattr(queries, "indicator_results",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("passing fault")))
    failed = client.post("/_dash-update-component", json=SWITCH)
    banner = failed.get_json()["sideUpdate"]["app-melding"]["children"]
    assert banner.endswith(f"(foutcode {failed.headers['X-Request-ID']})")
    monkeypatch.setattr(queries, "indicator_results", real)
    again = client.post("/_dash-update-component", json=SWITCH)
    assert again.status_code == 200 and "sideUpdate" not in again.get_json()


def test_cache_control_on_every_response(hosted):
    """Pages, callbacks, the layout, the health check and errors: no-store. Dash's versioned
    scripts and the boundary files under the build's stamp: a year, immutable. Unversioned
    files are revalidated."""
    status, headers, page = get(hosted.url + "/")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    html = page.decode()
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert scripts and all(re.search(r"\.v[\w-]+m[0-9a-f]+\.", s) for s in scripts)
    for script in scripts:
        assert get(hosted.url + script)[1]["Cache-Control"] == \
            "public, max-age=31536000, immutable"
    request = urllib.request.Request(hosted.url + "/_dash-update-component", method="POST",
                                     data=json.dumps(ROUTER).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Cache-Control"] == "no-store"
    for path in ("/gemeente/GM0363", "/methode", "/_dash-layout", "/_dash-dependencies",
                 "/healthz", "/bestaat-niet", "/grenzen/XX.geojson", "/_reload-hash"):
        assert get(hosted.url + path)[1]["Cache-Control"] == "no-store", path
    assert raw_request(hosted.url, "TRACE", "/")[1]["Cache-Control"] == "no-store"
    page_answer = json.loads(post_json(hosted.url + "/_dash-update-component", ROUTER)[1])
    stamp = re.search(r"/kaart\.svg\?v=(\w+)", json.dumps(page_answer)).group(1)
    for stamped in (f"/kaart.svg?v={stamp}", f"/grenzen/GM.geojson?v={stamp}"):
        assert get(hosted.url + stamped)[1]["Cache-Control"] == \
            "public, max-age=31536000, immutable"
    for unversioned in ("/grenzen/GM.geojson", "/grenzen/GM.geojson?v=old", "/assets/zichtop.css",
                        "/kaart.svg", "/_dash-component-suites/plotly/package_data/plotly.min.js",
                        re.sub(r"\.v[\w-]+m[0-9a-f]+\.", ".", scripts[0])):
        status, headers, _ = get(hosted.url + unversioned)
        assert status == 200 and headers["Cache-Control"] == "no-cache", unversioned


def test_reload_hash_does_not_list_packages(hosted, built_db):
    """Dash's /_reload-hash (hot reloading) would list the server's packages; outside
    development mode it does not exist."""
    status, _, body = get(hosted.url + "/_reload-hash")
    assert status == 404 and json.loads(body)["message"] == "Deze pagina bestaat niet."
    assert b"dash" not in body and b"plotly" not in body and b"packages" not in body
    from zichtop.web.app import create_app

    app = create_app(built_db)
    # what enable_dev_tools(dev_tools_hot_reload=True) sets, without its file-watching thread
    app._dev_tools["hot_reload"] = True
    answer = app.server.test_client().get("/_reload-hash")
    assert answer.status_code == 200 and "packages" in answer.get_json()  # development only


def test_log_files_are_bounded(tmp_path, monkeypatch):
    """Each log file is rotated at LOG_BYTES with LOG_BACKUPS old ones kept, by serve.py as the
    files' only writer."""
    from zichtop.hosting import serve

    monkeypatch.setattr(serve, "LOG_BYTES", 2000)
    copy = serve.LogCopy(tmp_path / "zichtop.log")
    read, write = os.pipe()
    copy.follow(os.fdopen(read, "rb"))
    with os.fdopen(write, "wb") as pipe:
        for n in range(2000):
            pipe.write(b"line %d with a NUL \x00 in it\n" % n)
    copy.close()
    files = sorted(tmp_path.glob("zichtop.log*"))
    assert len(files) == serve.LOG_BACKUPS + 1
    assert all(f.stat().st_size <= 2000 for f in files)
    text = (tmp_path / "zichtop.log").read_text()
    assert "line 1999 with a NUL \\x00 in it" in text and "\x00" not in text


def test_the_upload_route_has_its_own_limit_at_the_proxy(hosted):
    """Through nginx: a 2 MiB own-data file reaches the app (which answers about its rows), a
    6 MiB one is refused by the proxy; a 2 MiB callback body is still refused (1 MiB)."""
    rows = b"gebied;periode;aantal\n" + b"GM0363;2023;12\n" * (2 * 1024 * 1024 // 15)
    status, _, body = raw_request(hosted.url, "POST", "/eigen-gegevens/verwerk",
                                  {"Content-Type": "application/octet-stream"}, rows)
    assert status == 422 and "meer dan 20.000 rijen" in body.decode()
    status, _, _ = raw_request(hosted.url, "POST", "/eigen-gegevens/verwerk",
                               {"Content-Type": "application/octet-stream"},
                               b"x" * (6 * 1024 * 1024))
    assert status == 413
    status, _, _ = raw_request(hosted.url, "POST", "/_dash-update-component",
                               {"Content-Type": "application/json"},
                               b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert status == 413
