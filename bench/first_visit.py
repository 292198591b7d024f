"""A first and a second visit on a 20 Mbit/s line with 40 ms latency, in headless Chromium.

For the map `/`, the profile `/gemeente/GM1714?thema=vastgoed` (a theme open: its chart) and
the wijken page `/wijken/GM0363`, and for a static HTML page that draws the same 342
municipalities as plain SVG (bench/first_map.py):
- **click**: seconds from navigation start until the page answers a click: the map's 342 shapes
  are links (the server-drawn map) or Plotly's clickable shapes; the profile's chart has its bars;
- **app**: seconds until the app has taken over: the map in the app's panel with its tooltips
  (or Plotly's map), the wijken page's Plotly map, the profile's chart;
- **KiB**: everything the visit transfers (Chromium's transferSize of the document and every
  resource: headers and compressed bodies), first with an empty cache, then a second visit.

Median of `--repeat` visits each, interleaved, in one run. `--other DIR` also starts the app
from another checkout (e.g. `git worktree add /tmp/before <commit>`) on the same database, so
that a change is measured against the code before it in the same run.

Usage: python bench/first_visit.py [--db data/zichtop.duckdb] [--repeat 5] [--other DIR]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from first_map import static_svg_page  # noqa: E402

from tools.browser import chromium, free_port, wait_until_up  # noqa: E402

PAGES = {"kaart": "/", "profiel": "/gemeente/GM1714?thema=vastgoed", "wijken": "/wijken/GM0363"}
MBIT, LATENCY_MS = 20, 40
# two moments (ms since navigation start): the page answers a click (`__click`: the map's 342
# shapes are links, as in the server-drawn map, or Plotly's clickable shapes; the profile's
# chart has its bars) and the app has taken over (`__app`: the map in the app's panel with its
# tooltips, or Plotly's map or chart)
WATCH = """
window.__click = null; window.__app = null;
(function () {
  function count(sel) { return document.querySelectorAll(sel).length; }
  function check() {
    var now = performance.now();
    var app = count('#kaart-map svg[data-interactief] a[data-gebied]') >= 342 ||
      count('#kaart-map path.choroplethlocation') >= 342 ||
      count('#wijken-map path.choroplethlocation') >= 20 ||
      count('.js-plotly-plot .barlayer .point') >= 1;
    var click = app || count('a[data-gebied]') >= 342 || count('#kaart path') >= 342;
    if (click && !window.__click) { window.__click = now; }
    if (app && !window.__app) { window.__app = now; }
  }
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
                                                 attributes: true});
})();
"""
BYTES = ("return performance.getEntriesByType('navigation').concat("
         "performance.getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0)")


def visit(driver, url: str, cold: bool, static: bool = False) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Seconds until the page answers a click and until the app has taken over, and the bytes
    the visit transferred (after the page has settled: every chart and callback included)."""
    driver.get("about:blank")
    if cold:
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.get(url)
    key = "__click" if static else "__app"
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(f"return window.{key}"))
    click, app = driver.execute_script("return [window.__click, window.__app || window.__click]")
    time.sleep(1.5)  # what loads after the first answer (other charts, callbacks) counts too
    return click / 1000, app / 1000, int(driver.execute_script(BYTES))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def start(root: Path, db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    app = subprocess.Popen([sys.executable, str(root / "app.py"), "--port", str(port)],
                           env={**os.environ, "ZICHTOP_DB": db, "PYTHONPATH": str(root)},
                           cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_up(base + "/healthz", 60):
        raise RuntimeError(f"{base} ({root}) did not answer")
    return app, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "data" / "zichtop.duckdb"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--other", help="another checkout to measure in the same run")
    args = parser.parse_args()
    db = str(Path(args.db).resolve())
    apps: dict[str, tuple[subprocess.Popen, str]] = {}
    results: dict[tuple[str, str, str], list[tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        page = static_svg_page(Path(db), Path(tmp))
        handler = functools.partial(Quiet, directory=tmp)
        static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=static.serve_forever, daemon=True).start()
        static_url = f"http://127.0.0.1:{static.server_address[1]}/{page.name}"
        try:
            apps["dit"] = start(ROOT, db)
            if args.other:
                apps["ander"] = start(Path(args.other).resolve(), db)
            driver = chromium()
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": LATENCY_MS,
                "downloadThroughput": MBIT * 1e6 / 8, "uploadThroughput": MBIT * 1e6 / 8})
            try:
                for _, base in apps.values():  # start-up: every page drawn once, not counted
                    for path in PAGES.values():
                        visit(driver, base + path, False)
                for _ in range(args.repeat):  # a second visit right after each first one
                    for cold in (True, False):
                        results.setdefault(("statisch", "svg", "eerste" if cold else "tweede"),
                                           []).append(visit(driver, static_url, cold, True))
                    for name, (_, base) in apps.items():
                        for label, path in PAGES.items():
                            for cold in (True, False):
                                state = "eerste" if cold else "tweede"
                                results.setdefault((name, label, state), []).append(
                                    visit(driver, base + path, cold))
            finally:
                driver.quit()
        finally:
            for app, _ in apps.values():
                app.terminate()
                app.wait(timeout=10)
            static.shutdown()
    static_time = statistics.median(v[0] for v in results[("statisch", "svg", "eerste")])
    print(f"{MBIT} Mbit/s, {LATENCY_MS} ms; median of {args.repeat}; seconds until a click is "
          "answered and until the app has taken over (ratio to the static SVG page's first "
          "visit); KiB transferred")
    for (name, label, state), values in sorted(results.items()):
        click = statistics.median(v[0] for v in values)
        app = statistics.median(v[1] for v in values)
        kib = statistics.median(v[2] for v in values) / 1024
        print(f"{name:9} {label:8} {state:7} click {click:5.2f} s (x{click / static_time:4.1f})"
              f"  app {app:5.2f} s (x{app / static_time:4.1f})  {kib:7.1f} KiB")


if __name__ == "__main__":
    main()
