"""The map page against a minimal static page in the same headless Chromium run.

- time: from navigation start to all 342 municipality shapes drawn on the map page (the first
  paint the server draws into the HTML, zichtop/web/first_paint.py), and to the interactive
  map in the app (the SVG map coloured by the app, assets/kaart.js), against a static HTML page that draws the same 342 boundaries as plain SVG paths
  (served from the same machine), both with an empty browser cache and with a warm one;
- bytes: what the map page's content costs on the wire (Chromium's transferSize): the HTML
  document, Dash's layout and dependencies, the callback responses and the boundary files,
  without the JavaScript bundles (the same for every page, cached after the first visit).

Usage: python bench/first_map.py [--db data/zichtop.duckdb] [--repeat 5]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.browser import chromium, free_port, wait_until_up  # noqa: E402

CONTENT = ("return performance.getEntriesByType('resource').concat("
           "performance.getEntriesByType('navigation')).filter(e => "
           "!e.name.includes('_dash-component-suites') && !e.name.includes('/assets/'))"
           ".reduce((s, e) => s + e.transferSize, 0)")


def static_svg_page(db: Path, folder: Path) -> Path:
    """The same 342 boundaries as one plain SVG (Web Mercator, like the map), in a bare page."""
    con = duckdb.connect(str(db), read_only=True)
    layer = json.loads(con.execute("SELECT geojson FROM boundary_layers WHERE level = 'GM'"
                                   ).fetchall()[0][0])

    def project(lon: float, lat: float) -> tuple[float, float]:
        x = (lon - 3.3) * 100
        y = (math.log(math.tan(math.pi / 4 + math.radians(53.6) / 2))
             - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) * 180 / math.pi * 100
        return round(x, 1), round(y, 1)

    paths = []
    for feature in layer["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else \
            [geometry["coordinates"]]
        d = "".join("M" + "L".join(f"{x},{y}" for x, y in (project(*p) for p in ring)) + "Z"
                    for polygon in polygons for ring in polygon)
        paths.append(f'<path id="{feature["id"]}" d="{d}" fill="#f0a050" stroke="#666" '
                     'stroke-width="0.3"/>')
    page = folder / "static.html"
    page.write_text('<!doctype html><html><head><meta charset="utf-8"><title>static</title>'
                    '</head><body><svg id="kaart" viewBox="0 0 400 500" width="800" '
                    f'height="1000">{"".join(paths)}</svg></body></html>', encoding="utf-8")
    return page


# installed in every page before it loads: the moment (ms since navigation start) at which
# 342 shapes of the first paint, of the interactive map or of the static page are in the page
WATCH = """
window.__shapes = {};
new MutationObserver(function () {
  var sets = {first: '#eerste-kaart path, #kaart path',
              map: '#kaart-map svg[data-interactief] a[data-gebied]'};
  for (var k in sets) {
    if (!window.__shapes[k] && document.querySelectorAll(sets[k]).length >= 342) {
      window.__shapes[k] = performance.now();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def visit(driver, url: str, cold: bool, interactive: bool) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    """Seconds (from navigation start, measured in the page) until 342 shapes are in the page,
    the content's bytes, and seconds until the interactive map has them too."""
    driver.get("about:blank")
    if cold:
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.get(url)
    key = "map" if interactive else "first"
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script(f"return window.__shapes && window.__shapes.{key}"))
    shapes = driver.execute_script("return window.__shapes")
    time.sleep(0.3)
    first = shapes.get("first") or shapes[key]
    return first / 1000, int(driver.execute_script(CONTENT)), shapes[key] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "data" / "zichtop.duckdb"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = static_svg_page(Path(args.db), Path(tmp))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=tmp)
        static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=static.serve_forever, daemon=True).start()
        static_url = f"http://127.0.0.1:{static.server_address[1]}/{page.name}"
        port = free_port()
        app = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)],
                               env={**os.environ, "ZICHTOP_DB": args.db}, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, list[tuple[float, int]]] = {}
        try:
            if not wait_until_up(base + "/healthz"):
                raise RuntimeError(f"{base} did not answer")
            driver = chromium()
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
            try:
                visit(driver, base + "/", True, True)
                for _ in range(args.repeat):
                    for cold in (True, False):
                        state = "koud" if cold else "warm"
                        results.setdefault(f"static {state}", []).append(
                            visit(driver, static_url, cold, False))
                        results.setdefault(f"map {state}", []).append(
                            visit(driver, base + "/", cold, True))
            finally:
                driver.quit()
        finally:
            app.terminate()
            app.wait(timeout=10)
            static.shutdown()
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3))
           for k, v in results.items()}
    for state, label in (("koud", "first visit (empty cache)"), ("warm", "second visit")):
        s, m = med[f"static {state}"], med[f"map {state}"]
        print(f"{label}: static SVG page {s[0] * 1000:.0f} ms ({s[1] / 1024:.0f} KiB); "
              f"map page: first complete map {m[0] * 1000:.0f} ms (ratio x{m[0] / s[0]:.1f}), "
              f"interactive map {m[2] * 1000:.0f} ms (x{m[2] / s[0]:.1f}); content "
              f"{m[1] / 1024:.1f} KiB on the wire (median of {args.repeat})")


if __name__ == "__main__":
    main()
