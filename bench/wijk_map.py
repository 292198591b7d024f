"""What a wijk map costs: bytes on the wire and time to the complete map, in headless Chromium.

- bytes: the wire size (Chromium's transferSize, gzip as served) of the page's data responses
  for the wijk page of a municipality, against the national wijk layer (all wijken as one
  GeoJSON, gzipped) that a naive page would send; and the per-municipality layer sizes over all
  342 municipalities (gzipped, from the database);
- time: from navigation start to all wijk shapes of the municipality drawn, against the national
  municipality map (342 shapes) in the same run.

Usage: python bench/wijk_map.py [--db data/zichtop.duckdb] [--code GM0363] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.browser import chromium, free_port, wait_until_up  # noqa: E402

DATA = ("return performance.getEntriesByType('resource').filter(e => "
        "e.name.includes('_dash-update-component') || e.name.includes('_dash-layout'))"
        ".reduce((s, e) => s + e.transferSize, 0)")


def layer_sizes(db: Path, code: str) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    layers = con.execute("SELECT municipality_code, geojson FROM area_layers "
                         "WHERE level = 'WK'").fetchall()
    sizes = {m: len(gzip.compress(g.encode())) for m, g in layers}
    rows = con.execute("SELECT code, name, geometry FROM boundaries WHERE level = 'WK'").fetchall()
    national = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": c, "properties": {"name": n}, "geometry": json.loads(g)}
        for c, n, g in rows]}, separators=(",", ":"))
    return {"national": len(gzip.compress(national.encode())), "chosen": sizes[code],
            "median": statistics.median(sizes.values()), "max": max(sizes.values()),
            "count": len(rows), "chosen_shapes": sum(c.startswith("WK" + code[2:])
                                                     for c, _n, _g in rows)}


def time_to_shapes(driver, url: str, selector: str, shapes: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    driver.get("about:blank")
    start = time.perf_counter()
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(
        By.CSS_SELECTOR, selector)) >= shapes)
    elapsed = time.perf_counter() - start
    time.sleep(0.3)  # let the last responses be counted
    return elapsed, int(driver.execute_script(DATA))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "data" / "zichtop.duckdb"))
    parser.add_argument("--code", default="GM0363")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = layer_sizes(Path(args.db), args.code)
    port = free_port()
    app = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)],
                           env={**os.environ, "ZICHTOP_DB": args.db}, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_up(base + "/healthz"):
            raise RuntimeError(f"{base} did not answer")
        driver = chromium()
        wijk, national, wire = [], [], []
        try:
            for _ in range(args.repeat):
                t, b = time_to_shapes(driver, f"{base}/wijken/{args.code}",
                                      "#wijken-map path.choroplethlocation",
                                      sizes["chosen_shapes"])
                wijk.append(t)
                wire.append(b)
                national.append(time_to_shapes(
                    driver, base + "/", "#kaart-map svg[data-interactief] a[data-gebied]",
                    342)[0])
        finally:
            driver.quit()
    finally:
        app.terminate()
        app.wait(timeout=10)
    kib = 1024
    print(f"national wijk layer ({sizes['count']} wijken), gzipped: "
          f"{sizes['national'] / kib:.0f} KiB")
    print(f"{args.code} wijk layer ({sizes['chosen_shapes']} wijken), gzipped: "
          f"{sizes['chosen'] / kib:.1f} KiB (x{sizes['chosen'] / sizes['national']:.3f} of the "
          f"national layer); all 342 municipalities: median {sizes['median'] / kib:.1f} KiB, "
          f"largest {sizes['max'] / kib:.1f} KiB")
    print(f"wijk page data on the wire (layout and callbacks, gzip): "
          f"{statistics.median(wire) / kib:.1f} KiB")
    w, n = statistics.median(wijk), statistics.median(national)
    print(f"complete wijk map {w * 1000:.0f} ms; national municipality map {n * 1000:.0f} ms "
          f"(median of {args.repeat}); ratio x{w / n:.2f}")


if __name__ == "__main__":
    main()
