"""Benchmark: `/healthz` while colleagues make exports. Starts the hosted set-up (`make serve`:
nginx + gunicorn 2 x 4 threads) on a free port, then measures `/healthz` (one probe every
0.25 s) in three phases of the same run: no load (the baseline), 8 and 16 clients each making
RIEC-region exports (CSV and Excel, all ten regions, one after the other without pause).

Usage: python bench/health_under_exports.py [--seconds 20] [--direct]
--direct sends everything to gunicorn itself, past nginx and its per-address rate limit (which
otherwise answers most of these pause-less requests with 429 before they reach the app).
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load import REGIONS, percentile  # noqa: E402


def export(region: str, excel: bool) -> dict:
    button = "regio-xlsx" if excel else "regio-csv"
    return {"output": "regio-download.data",
            "outputs": {"id": "regio-download", "property": "data"},
            "inputs": [{"id": "regio-csv", "property": "n_clicks", "value": None if excel else 1},
                       {"id": "regio-xlsx", "property": "n_clicks", "value": 1 if excel else None}],
            "state": [{"id": "regio-code", "property": "data", "value": region},
                      {"id": "regio-referentie", "property": "value", "value": "nl"},
                      {"id": "regio-perioden", "property": "value", "value": "laatste"}],
            "changedPropIds": [f"{button}.n_clicks"]}


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data,
                 headers={"Content-Type": "application/json"} if data else {})
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload


def phase(port: int, clients: int, seconds: float) -> dict:
    until = time.time() + seconds
    outcomes: dict[str, int] = {"file": 0, "busy": 0, "limited": 0, "other": 0}
    lock = threading.Lock()

    def exporter(n: int) -> None:
        k = n
        while time.time() < until:
            status, payload = request(port, "POST", "/_dash-update-component",
                                      export(REGIONS[k % len(REGIONS)], excel=k % 2 == 1))
            kind = "file" if status == 200 and b"regio-download" in payload else \
                "busy" if b"veel exports" in payload else \
                "limited" if status == 429 else "other"
            with lock:
                outcomes[kind] += 1
            k += 3

    threads = [threading.Thread(target=exporter, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    times, statuses = [], []
    while time.time() < until:
        start = time.perf_counter()
        status, _ = request(port, "GET", "/healthz")
        times.append(time.perf_counter() - start)
        statuses.append(status)
        time.sleep(0.25)
    for t in threads:
        t.join(timeout=60)
    return {"clients": clients, "probes": len(times), "p50": percentile(times, 50),
            "p95": percentile(times, 95), "max": max(times),
            "not_200": sum(s != 200 for s in statuses), **outcomes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--direct", action="store_true")
    args = parser.parse_args()
    from zichtop.core.config import Settings
    from zichtop.hosting.serve import free_port, start

    with start(free_port(), Settings.from_env().db_path) as server:
        url = server.upstream_url if args.direct else server.url
        port = int(url.rsplit(":", 1)[1].strip("/"))
        base = None
        for clients in (0, 8, 16):
            r = phase(port, clients, args.seconds)
            base = base or r["p95"]
            print(f"{clients:2d} export clients: /healthz p50 {r['p50'] * 1000:.0f} ms, "
                  f"p95 {r['p95'] * 1000:.0f} ms (x{r['p95'] / base:.1f} of no load), "
                  f"max {r['max'] * 1000:.0f} ms, {r['probes']} probes, {r['not_200']} not 200; "
                  f"exports: {r['file']} files, {r['busy']} asked to try again, "
                  f"{r['limited']} rate-limited (429), {r['other']} other")


if __name__ == "__main__":
    main()
