"""Fault and abuse suite (docs/operations.md lists each promise and the test that keeps it):
slow and huge requests, impossible input numbers, malformed callback bodies, a missing, damaged
or foreign database, forged log lines and file names, unknown pages, the response cache's key and
memory, and the lock file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.load import export, router, switch
from tests.conftest import copy_db, replace_file
from tests.integration.test_serving import get, post_raw
from tests.pipeline.test_bad_input import digest, original, run_build

ROOT = Path(__file__).resolve().parents[2]
# the request bodies the browser sends, as the load test sends them (bench/load.py)
ROUTER = router("/")
SWITCH = switch("drugs_verdachten", "2024JJ00")
export_body = export


def client_for(db: Path):
    from zichtop.web.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZICHTOP_DB", str(db))
        client = create_app().server.test_client()
        client.get("/")  # Dash registers its callbacks on the first request
        return client


def http(url: str, data: bytes | None = None, timeout: float = 30) -> tuple[int, bytes]:
    """GET, or POST the raw bytes (status and body, also for 4xx/5xx)."""
    if data is None:
        status, _headers, body = get(url, timeout)
        return status, body
    return post_raw(url, data, timeout)


# --- slow and large requests, through the hosting set-up of `make serve` -----------------------

@pytest.fixture(scope="module")
def hosted(built_db, tmp_path_factory):
    from zichtop.hosting.serve import free_port, start

    folder = tmp_path_factory.mktemp("hosted")
    db = copy_db(built_db, folder / "zichtop.duckdb")
    log = folder / "serve.log"
    server = start(free_port(), db, log=log, env={**os.environ, "HOME": str(folder)})
    yield server, folder
    server.stop()
    assert "Traceback" not in log.read_text()


def test_slow_clients_do_not_stall_the_health_check(hosted):
    from tools.slow_clients import SlowClients

    server, _ = hosted
    port = int(server.url.rsplit(":", 1)[1])
    with SlowClients(port, n_header=50, n_body=50, interval=0.5, seconds=30) as slow:
        deadline = time.monotonic() + 10
        while slow.opened < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slow.opened == 100
        times = []
        for _ in range(10):
            start = time.perf_counter()
            status, body = http(server.url + "/healthz", timeout=5)
            times.append(time.perf_counter() - start)
            assert status == 200 and json.loads(body)["status"] == "ok"
            time.sleep(0.3)
    assert max(times) < 1.0, times


def test_body_over_the_limit_gets_413(hosted, built_db):
    server, _ = hosted
    status, body = http(server.url + "/_dash-update-component", b"[" * (2 * 1024 * 1024))
    assert status == 413 and "te groot" in json.loads(body)["message"]
    # the app itself refuses too (when run without the proxy)
    client = client_for(built_db)
    response = client.post("/_dash-update-component", data=b" " * (1024 * 1024 + 1),
                           content_type="application/json")
    assert response.status_code == 413 and "te groot" in response.get_json()["message"]


def test_hosted_responses_are_compressed_and_control_socket_off(hosted):
    server, folder = hosted
    request = urllib.request.Request(server.url + "/_dash-update-component",
                                     data=json.dumps(ROUTER).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip"
    assert "--no-control-socket" in server.gunicorn.args
    assert not (folder / ".gunicorn").exists()  # gunicorn's default control socket


# --- impossible input numbers stop the build, the previous database stays --------------------

def _broken_build(scratch_mirror, mirror, built_db, tmp_path, table, old, new):
    content = original(mirror, table)
    assert content.count(old) == 1, f"{old!r} must occur once in {table}"
    replace_file(scratch_mirror, table, content.replace(old, new))
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = digest(db)
    result = run_build(scratch_mirror, db)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("zichtop: fout:") == 1
    assert digest(db) == before
    return result.stderr


AMSTERDAM_DRUGS_2024 = b";10000;Totaal mannen en vrouwen;Amsterdam;2024;"


@pytest.mark.parametrize("value, message", [
    # a count above its plausible maximum (more than the country's inhabitants) stops first
    (b"1e300", r"table 85655NED, column VerdachtenVanDrugsmisdrijven_6, region GM0363, period "
               r"2024JJ00: value 1e\+300 is above the plausible maximum 2e\+07"),
    # a plausible count that is still above its denominator (Amsterdam's inhabitants)
    (b"1e6", r"indicator drugs_verdachten: CBS 85655NED, VerdachtenVanDrugsmisdrijven_6"
             r".* = 1000000.0 is above its denominator .*region GM0363, period 2024JJ00"),
    (b"-1170", r"table 85655NED, column VerdachtenVanDrugsmisdrijven_6, region GM0363, period "
               r"2024JJ00: value -1170.0 is negative"),
])
def test_impossible_drug_suspects_stop_the_build(value, message, scratch_mirror, mirror,
                                                 built_db, tmp_path):
    line = next(x for x in original(mirror, "85655NED").split(b"\n")
                if AMSTERDAM_DRUGS_2024 in x)
    fields = line.split(b";")
    header = original(mirror, "85655NED").split(b"\n")[0].decode("utf-8-sig").split(";")
    col = header.index("VerdachtenVanDrugsmisdrijven_6")
    assert fields[col] == b"1170.0"  # Amsterdam's drug suspects 2024, as in the CBS table
    fields[col] = value
    stderr = _broken_build(scratch_mirror, mirror, built_db, tmp_path, "85655NED", line,
                           b";".join(fields))
    assert re.search(message, stderr), stderr


def test_negative_count_stops_the_build(scratch_mirror, mirror, built_db, tmp_path):
    stderr = _broken_build(scratch_mirror, mirror, built_db, tmp_path, "82900NED",
                           b";Totaal;Amsterdam;2024;480852.0;", b";Totaal;Amsterdam;2024;-480852.0;")
    assert ("table 82900NED, column TotaleWoningvoorraad_1, region GM0363, period 2024JJ00: "
            "value -480852.0 is negative") in stderr


def test_control_character_stops_the_build(scratch_mirror, mirror, built_db, tmp_path):
    stderr = _broken_build(scratch_mirror, mirror, built_db, tmp_path, "82900NED",
                           b";Totaal;Amsterdam;2024;", b";Totaal;Amster\x00dam;2024;")
    assert "table 82900NED" in stderr and "column RegioS" in stderr
    assert "holds a control character ('Amster\\x00dam')" in stderr


def test_share_above_100_is_refused():
    from zichtop.core.errors import ValueProblem
    from zichtop.indicators.catalog import TABLES
    from zichtop.pipeline.input_checks import check_observations

    spec = TABLES["85099NED"]
    frame = pd.DataFrame({"measure": ["JongerenMetJeugdzorgRelatief_2"] * 2,
                          "value": [12.5, 101.0], "region_code": ["GM0014", "GM0034"],
                          "period_key": ["2023JJ00"] * 2})
    with pytest.raises(ValueProblem, match=r"table 85099NED, column JongerenMetJeugdzorgRelatief_2"
                                           r", region GM0034, period 2023JJ00: value 101.0 is a "
                                           r"share above 100"):
        check_observations(frame, spec)
    check_observations(frame.iloc[:1], spec)  # 12.5% passes


def test_infinite_value_is_refused():
    from zichtop.core.errors import ValueProblem
    from zichtop.indicators.catalog import TABLES
    from zichtop.pipeline.input_checks import check_observations

    frame = pd.DataFrame({"measure": ["WmoClienten_1"], "value": [float("inf")],
                          "region_code": ["GM0363"], "period_key": ["2023JJ00"]})
    with pytest.raises(ValueProblem, match="column WmoClienten_1, region GM0363, period "
                                           "2023JJ00: value inf is not a finite number"):
        check_observations(frame, TABLES["86050NED"])


def test_inhabitants_jump_is_refused():
    from zichtop.core.errors import ValueProblem
    from zichtop.pipeline.input_checks import check_population

    rows = pd.DataFrame({"table_id": "84721NED", "measure": "Inwonertal",
                         "region_code": "GM0014", "year": [2019, 2020, 2021],
                         "value": [232_874, 234_649, 352_000]})
    with pytest.raises(ValueProblem, match=r"table 84721NED, column Inwonertal, region GM0014, "
                                           r"year 2021: inhabitants 352000 against 234649"):
        check_population(rows)
    check_population(rows.iloc[:2])  # +0.8% passes


def test_real_population_has_no_implausible_jump(con):
    p = con.execute("SELECT region_code, year, inhabitants FROM population "
                    "WHERE inhabitants IS NOT NULL ORDER BY region_code, year").df()
    change = p.groupby("region_code")["inhabitants"].pct_change().abs()
    assert change.max() < 0.5  # the rule would not stop a build of the real data


# --- every failure a Dutch message and a 4xx/503 ----------------------------------------------

MALFORMED = {
    "outputs as a string": {**SWITCH, "outputs": "kaart-map.figure"},
    "outputs as a list of numbers": {**SWITCH, "outputs": [1, 2, 3]},
    "outputs of another callback": {**SWITCH, "outputs": ROUTER["outputs"]},
    "inputs of another callback": {**SWITCH, "inputs": ROUTER["inputs"]},
    "state that is not declared": {**ROUTER, "state": [{"id": "x", "property": "y"}]},
    "changedPropIds not a list": {**ROUTER, "changedPropIds": "x"},
    "deeply nested value": {**SWITCH, "inputs": [{**SWITCH["inputs"][0],
                                                  "value": json.loads("[" * 50 + "]" * 50)},
                                                 *SWITCH["inputs"][1:]]},
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_callback_body_gets_400(case, built_db):
    client = client_for(built_db)
    response = client.post("/_dash-update-component", json=MALFORMED[case])
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("Ongeldig verzoek")


@pytest.mark.parametrize("raw", [b"[" * 100000, b"{" * 50000, b"\xff\xfe", b"null", b"[]"])
def test_unparsable_callback_body_gets_400(raw, built_db):
    client = client_for(built_db)
    response = client.post("/_dash-update-component", data=raw, content_type="application/json")
    assert response.status_code == 400


def _damaged(built_db: Path, tmp_path: Path, state: str) -> Path:
    db = tmp_path / "zichtop.duckdb"
    if state == "missing":
        return db
    if state == "foreign":
        duckdb.connect(str(db)).execute("CREATE TABLE other AS SELECT 1 AS x").close()
        return db
    copy_db(built_db, db)
    with db.open("r+b") as f:  # 1 MiB of random bytes at a quarter, half and three quarters
        for part in (4, 2, 4 / 3):
            f.seek(int(db.stat().st_size / part))
            f.write(os.urandom(1024 * 1024))
    return db


def test_health_check_is_truthful_about_random_bytes(built_db, tmp_path):
    """1 MiB of random bytes in the middle: /healthz says 503 exactly when reading the data
    fails (random bytes in unused blocks hurt nothing)."""
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    with db.open("r+b") as f:
        f.seek(db.stat().st_size // 2)
        f.write(os.urandom(1024 * 1024))
    try:
        con = duckdb.connect(str(db), read_only=True)
        for (schema, table) in con.execute("SELECT schema_name, table_name FROM "
                                           "duckdb_tables()").fetchall():
            con.execute(f'SELECT count(*), sum(hash(t)) FROM "{schema}"."{table}" t').fetchall()
        readable = True
    except duckdb.Error:
        readable = False
    assert client_for(db).get("/healthz").status_code == (200 if readable else 503)


@pytest.mark.parametrize("state", ["missing", "random bytes", "foreign"])
def test_unusable_database_answers_in_dutch(state, built_db, tmp_path):
    db = _damaged(built_db, tmp_path, state)
    client = client_for(db)
    health = client.get("/healthz")
    assert health.status_code == 503
    text = health.get_data(as_text=True)
    assert json.loads(text)["message"] == "De gegevens zijn niet beschikbaar."
    assert str(tmp_path) not in text and "duckdb" not in text.lower() and "pid" not in text
    for path in ("/", "/gemeente/GM0363", "/regio/RE05", "/vergelijken", "/methode"):
        assert client.get(path).status_code == 200
        response = client.post("/_dash-update-component", json={
            **ROUTER, "inputs": [{**ROUTER["inputs"][0], "value": path}, ROUTER["inputs"][1]]})
        assert response.status_code == 200, (path, response.data[:200])
    for body in (SWITCH, export_body("RE05")):
        response = client.post("/_dash-update-component", json=body)
        if state == "random bytes" and response.status_code == 200 and \
                b"app-melding" not in response.data:
            continue  # these queries did not touch the damaged blocks: a normal answer
        assert response.status_code == 200
        side = response.get_json()["sideUpdate"]["app-melding"]
        assert side["children"].startswith("De gegevens zijn niet beschikbaar")
        assert side["hidden"] is False


def test_health_says_nothing_about_paths_or_processes(built_db):
    client = client_for(built_db)
    health = client.get("/healthz")
    assert health.status_code == 200
    body = health.get_json()
    assert set(body) == {"status", "source", "data_version", "loaded_at", "version"}
    assert str(os.getpid()) not in health.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/bestaat-niet", "/gemeente", "/gemeente/GM0363/extra",
                                  "/wp-admin.php"])
def test_unknown_pages_answer_404(path, built_db):
    client = client_for(built_db)
    assert client.get(path).status_code == 404
    for known in ("/", "/gemeente/GM0363", "/regio/RE05", "/vergelijken", "/methode"):
        assert client.get(known).status_code == 200


# --- logs and file names that cannot be forged ------------------------------------------------

def test_log_lines_cannot_be_forged(built_db, tmp_path):
    from zichtop.hosting.serve import free_port, start

    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    log = tmp_path / "serve.log"
    with start(free_port(), db, workers=1, log=log) as server:
        body = export_body("RE05\n[2026-01-01 00:00:00 +0000] [1] [INFO] forged\x00line")
        status, _ = http(server.url + "/_dash-update-component", json.dumps(body).encode())
        assert status == 204  # not a region: no update
    text = log.read_text()
    assert "\\x0a[2026-01-01" in text  # logged, escaped ...
    assert not any(line.startswith("[2026-01-01") for line in text.splitlines())  # ... not forged
    assert "\x00" not in text


def test_export_file_name_comes_from_the_validated_code(built_db):
    client = client_for(built_db)
    response = client.post("/_dash-update-component", json=export_body(" re05 "))
    assert response.status_code == 200
    assert response.get_json()["response"]["regio-download"]["data"]["filename"].startswith(
        "zichtop_RE05_")
    for hostile in ("RE05/../../x", "RE05\r\nSet-Cookie: x", "GM0363"):
        response = client.post("/_dash-update-component", json=export_body(hostile))
        assert response.status_code == 204


# --- the response cache --------------------------------------------------------------------

def test_cache_ignores_unknown_parameters(built_db):
    from zichtop.web.requests_check import cache_key_material

    known = {"thema", "indicator", "jaar"}
    bodies = [{**ROUTER, "inputs": [ROUTER["inputs"][0],
                                    {**ROUTER["inputs"][1], "value": f"?thema=drugs&x={n}"}]}
              for n in range(5)]
    assert len({cache_key_material(b, known) for b in bodies}) == 1
    other = {**ROUTER, "inputs": [ROUTER["inputs"][0],
                                  {**ROUTER["inputs"][1], "value": "?thema=zorg"}]}
    assert cache_key_material(other, known) != cache_key_material(bodies[0], known)
    client = client_for(built_db)
    answers = [client.post("/_dash-update-component", json=b) for b in bodies]
    assert {a.status_code for a in answers} == {200}
    assert len({a.data for a in answers}) == 1


def test_cache_counts_its_real_memory():
    from zichtop.web.response_cache import ResponseCache

    cache = ResponseCache(max_bytes=4 * 1024 * 1024)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(3000):  # small and large answers, far more than fit
        size = 300 if n % 2 else 30_000
        cache.put(ResponseCache.key(str(n).encode(), None), os.urandom(size),
                  "application/json")
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert cache.size <= cache.max_bytes
    assert len(cache) < 3000  # it evicted
    assert held <= cache.size * 1.10, (held, cache.size)  # what it counts is what it holds


# --- reproducible installs ----------------------------------------------------------------

def test_lock_file_pins_every_dependency_with_hashes():
    import tomllib
    from importlib.metadata import version

    lock = (ROOT / "requirements.lock").read_text()
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s;]+)", lock, re.M))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=\[ ]", requirement)[0].lower()
        assert name in pinned, f"{name} is not pinned in requirements.lock"
        assert version(name) == pinned[name], f"installed {name} differs from the lock"
    blocks = re.split(r"\n(?=[a-z0-9])", lock.split("\n", 2)[-1])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile


def test_lock_target_tests_before_replacing():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("pytest") < recipe.index("mv requirements.lock.new requirements.lock")


def test_concurrent_hostile_load_keeps_serving(hosted):
    """Many malformed and oversized requests at once: each gets a 4xx, health stays 200."""
    server, _ = hosted
    bodies = [json.dumps(b).encode() for b in MALFORMED.values()] + [b"[" * 100000]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda b: http(server.url + "/_dash-update-component", b)[0],
                                 bodies * 4))
    assert set(statuses) <= {400, 413, 429}
    assert http(server.url + "/healthz")[0] == 200


def test_serve_command_stops_cleanly(built_db, tmp_path):
    from zichtop.hosting.serve import free_port

    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zichtop.hosting.serve", "--port", str(port), "--db",
                             str(db), "--workers", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}" in line
        assert http(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.parametrize("dropped", [("area_results", "peers", "map_sketch"), ("former_names",)])
def test_health_check_fails_without_a_table_a_page_reads(dropped, built_db, tmp_path):
    """A store without the tables the profile or the wijken page reads is not healthy."""
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    con = duckdb.connect(str(db))
    for table in dropped:
        con.execute(f"DROP TABLE {table}")
    con.close()
    assert client_for(db).get("/healthz").status_code == 503


def test_health_check_covers_every_table_the_read_side_queries():
    import re

    from zichtop.web.health import CORE_TABLES

    named = set()
    for path in [*(ROOT / "zichtop" / "read").rglob("*.py"), *(ROOT / "zichtop" / "web").rglob("*.py")]:
        named |= set(re.findall(r"(?:FROM|JOIN) ([a-z_]+)\b", path.read_text(encoding="utf-8")))
    named -= {"duckdb_tables", "r", "t"}  # the catalog, and aliases of subqueries
    assert named <= set(CORE_TABLES), named - set(CORE_TABLES)


def test_an_export_is_computed_once_whatever_the_click_count(built_db):
    """The cache key of a download ignores how often its button was pressed before; the menu's
    own toggle still depends on its count."""
    from zichtop.web import requests_check

    first, again = export_body("RE05"), export_body("RE05")
    again["inputs"][0]["value"] = 7
    key = requests_check.cache_key_material
    assert key(first, set()) == key(again, set())
    other = export_body("RE06")
    assert key(first, set()) != key(other, set())
    menu = {"output": "menu-knop.aria-expanded", "changedPropIds": ["menu-knop.n_clicks"],
            "inputs": [{"id": "menu-knop", "property": "n_clicks", "value": 1}], "state": []}
    menu_again = {**menu, "inputs": [{"id": "menu-knop", "property": "n_clicks", "value": 2}]}
    assert key(menu, set()) != key(menu_again, set())


def test_a_build_stopped_with_sigterm_leaves_no_temporary_file(mirror, built_db, tmp_path):
    """SIGTERM (a service stop) in the middle of a build: no half-written store or WAL is left,
    and the previous store is unchanged."""
    import signal

    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = digest(db)
    env = {**os.environ, "ZICHTOP_MIRROR": str(mirror), "ZICHTOP_DB": str(db),
           "ZICHTOP_SOURCE": "mirror"}
    build = subprocess.Popen([sys.executable, "-m", "zichtop.cli", "build", "--quiet"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".zichtop.duckdb.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.glob(".zichtop.duckdb.*.tmp")), "the build never started writing"
    time.sleep(0.3)
    build.send_signal(signal.SIGTERM)
    build.wait(timeout=60)
    assert build.returncode != 0
    assert list(tmp_path.glob(".zichtop.duckdb.*")) == []
    assert digest(db) == before


def test_exports_beyond_the_free_slots_are_asked_to_wait(built_db):
    """With every slot for heavy work taken, an export that is not cached is not computed (its
    thread stays free for pages and /healthz): the banner asks, in Dutch, to try again; a free
    slot lets it through, and a cached export is served whatever the slots."""
    from zichtop.web.heavy import BUSY, MAX_HEAVY

    client = client_for(built_db)
    gate = client.application.extensions["zichtop.heavy"]
    for _ in range(MAX_HEAVY):
        assert gate.enter()
    busy = client.post("/_dash-update-component", json=export_body("RE07"))
    assert busy.status_code == 200
    assert busy.get_json()["sideUpdate"]["app-melding"]["children"] == BUSY
    assert client.get("/healthz").status_code == 200
    gate.leave()
    made = client.post("/_dash-update-component", json=export_body("RE07"))
    assert b"regio-download" in made.data
    gate.enter()  # full again: the same export now comes from the cache
    again = client.post("/_dash-update-component", json=export_body("RE07"))
    assert again.data == made.data
    for _ in range(MAX_HEAVY):
        gate.leave()
