"""Load test on loopback: N simulated users doing realistic sequences against a running Zichtop
(`make serve`) for a fixed time. Bounded: stops by itself after --seconds, sends traffic only to
the given local URL.

Each user repeats: open the map page (HTML + the page callback), switch indicator or year two or
three times (the Patch callback), open a municipality's profile, and now and then export a RIEC
region as CSV; with a think time of 0.5-2 s between actions, as a person clicks.

Usage: python bench/load.py --url http://127.0.0.1:8050 [--users 50] [--seconds 60]
       python bench/load.py --serve [--slow 50]   # starts `make serve` itself (nginx + gunicorn)
--slow N also keeps N slow-header and N slow-body sockets open during the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from urllib.parse import urlparse

INDICATORS = [("drugs_verdachten", ["2024JJ00", "2023JJ00", "2022JJ00"]),
              ("misdrijven_totaal", ["2024JJ00", "2023JJ00"]),
              ("vastgoed_overige_verhuurders", ["2024JJ00", "2023JJ00"]),
              ("zorg_pgb_per_1000", ["2024HJ01"]),
              ("vakantie_recreatiewoningen", ["2024JJ00", "2023JJ00"])]
MUNICIPALITIES = ["GM0363", "GM0599", "GM0344", "GM0518", "GM0014", "GM0448", "GM0080",
                  "GM0935", "GM0855", "GM0772"]
REGIONS = [f"RE{n:02d}" for n in range(1, 11)]


def router(path: str, search: str = "") -> dict:
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


SWITCH_OUTPUTS = [("kaart-indicator", "options"), ("kaart-indicator", "value"),
                  ("kaart-jaar", "options"), ("kaart-jaar", "value"), ("kaart-waarden", "data"),
                  ("kaart-bron", "children"), ("kaart-url", "search"),
                  ("kaart-schaal", "children"), ("kaart-legenda", "children")]


def switch(indicator: str, period: str, mode: str = "afwijking", borders: tuple = (),
           theme: str = "drugs", changed: str = "kaart-indicator.value",
           reference: str = "nl") -> dict:
    """The map's one callback, as the browser sends it when `changed` was changed."""
    return {"output": ".." + "...".join(f"{i}.{p}" for i, p in SWITCH_OUTPUTS) + "..",
            "outputs": [{"id": i, "property": p} for i, p in SWITCH_OUTPUTS],
            "inputs": [{"id": "kaart-thema", "property": "value", "value": theme},
                       {"id": "kaart-indicator", "property": "value", "value": indicator},
                       {"id": "kaart-jaar", "property": "value", "value": period},
                       {"id": "kaart-modus", "property": "value", "value": mode},
                       {"id": "kaart-grenzen", "property": "value", "value": list(borders)},
                       {"id": "kaart-referentie", "property": "value", "value": reference}],
            "state": [{"id": "kaart-zoek", "property": "value", "value": None}],
            "changedPropIds": [changed]}


def export(region: str, reference: str = "nl", periods: str = "laatste") -> dict:
    return {"output": "regio-download.data",
            "outputs": {"id": "regio-download", "property": "data"},
            "inputs": [{"id": "regio-csv", "property": "n_clicks", "value": 1},
                       {"id": "regio-xlsx", "property": "n_clicks", "value": None}],
            "state": [{"id": "regio-code", "property": "data", "value": region},
                      {"id": "regio-referentie", "property": "value", "value": reference},
                      {"id": "regio-perioden", "property": "value", "value": periods}],
            "changedPropIds": ["regio-csv.n_clicks"]}


class User(threading.Thread):
    def __init__(self, url: str, until: float, seed: int, results: dict, think: float):
        super().__init__(daemon=True)
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.until, self.random, self.results, self.think = until, random.Random(seed), results, \
            think

    def call(self, name: str, method: str, path: str, body: dict | None = None) -> None:
        if time.time() >= self.until:
            return
        data = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        ok = False
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            conn.request(method, path, body=data,
                         headers={"Content-Type": "application/json"} if data else {})
            response = conn.getresponse()
            response.read()
            ok = response.status in (200, 204)
            conn.close()
        except OSError:
            ok = False
        elapsed = time.perf_counter() - start
        self.results[name].append((elapsed, ok))
        time.sleep(self.random.uniform(0.5, 2.0) * self.think)

    def run(self) -> None:
        r = self.random
        while time.time() < self.until:
            self.call("open map (html)", "GET", "/")
            self.call("open map (page callback)", "POST", "/_dash-update-component",
                      router("/"))
            for _ in range(r.randint(2, 3)):
                indicator, periods = r.choice(INDICATORS)
                self.call("switch indicator/year", "POST", "/_dash-update-component",
                          switch(indicator, r.choice(periods)))
            self.call("open profile", "POST", "/_dash-update-component",
                      router(f"/gemeente/{r.choice(MUNICIPALITIES)}"))
            if r.random() < 0.3:
                self.call("export region CSV", "POST", "/_dash-update-component",
                          export(r.choice(REGIONS)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="think-time factor (0 = none)")
    parser.add_argument("--serve", action="store_true",
                        help="start nginx + gunicorn (zichtop.hosting.serve) on a free port for the run")
    parser.add_argument("--slow", type=int, default=0,
                        help="slow-header and slow-body sockets held open during the run")
    args = parser.parse_args()
    if args.serve:
        from zichtop.core.config import Settings
        from zichtop.hosting.serve import free_port, start

        with start(free_port(), Settings.from_env().db_path) as server:
            args.url = server.url
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    from contextlib import nullcontext

    from tools.slow_clients import SlowClients

    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load test only targets this machine (loopback)")
    results: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    until = time.time() + args.seconds
    users = [User(args.url, until, n, results, args.think) for n in range(args.users)]
    slow = SlowClients(urlparse(args.url).port or 80, args.slow, args.slow, interval=2.0,
                       seconds=args.seconds + 30) if args.slow else nullcontext()
    with slow:
        for u in users:
            u.start()
            time.sleep(0.02)
        for u in users:
            u.join(timeout=args.seconds + 60)
    everything = [t for rows in results.values() for t, _ in rows]
    errors = sum(not ok for rows in results.values() for _, ok in rows)
    print(f"{args.users} users, {args.slow} slow-header + {args.slow} slow-body sockets, "
          f"{args.seconds:.0f} s, {len(everything)} requests "
          f"({len(everything) / args.seconds:.1f}/s), errors: {errors}")
    print(f"{'request':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, rows in results.items():
        times = [t * 1000 for t, _ in rows]
        print(f"{name:<28}{len(times):>6}{statistics.median(times):>9.0f}"
              f"{percentile(times, 95):>9.0f}{percentile(times, 99):>9.0f}")
    all_ms = [t * 1000 for t in everything]
    print(f"{'all':<28}{len(all_ms):>6}{statistics.median(all_ms):>9.0f}"
          f"{percentile(all_ms, 95):>9.0f}{percentile(all_ms, 99):>9.0f}")


if __name__ == "__main__":
    main()
