"""Benchmark: one indicator switch on the map, as the map's callback does it (a colour and a
tooltip text per municipality), against a naive callback that returns the whole SVG map with
those values. Both in the same run, on the same store.

Bytes: the callback's output serialised exactly as Dash sends it (plotly's JSON encoder).
Time: server time of the callback function (queries + figure + serialisation), median of N.

Usage: python bench/switch_payload.py [--db data/zichtop.duckdb] [--repeat 30]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="data/zichtop.duckdb")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ["ZICHTOP_DB"] = str(Path(args.db).resolve())

    from plotly.io.json import to_json_plotly

    from zichtop.web.app import create_app

    create_app()  # registers the pages and their callbacks
    from zichtop.web.pages import kaart

    switches = [("drugs_verdachten", "2024JJ00"), ("drugs_vuurwapen", "2023JJ00"),
                ("misdrijven_totaal", "2022JJ00"), ("vastgoed_eigendom_onbekend", "2024JJ00")]

    from zichtop.read import queries
    from zichtop.web import svg_map

    regions = queries.regions()
    names = dict(zip(regions["code"], regions["name"], strict=True))

    def patched(indicator: str, period: str) -> str:
        *_, values, source, search, _scale, _note = kaart.switch("drugs", indicator, period,
                                                                 "afwijking", [])
        return to_json_plotly([values, source, search])

    def naive(indicator: str, period: str) -> str:
        return to_json_plotly(svg_map.svg(indicator, names, kaart.map_values(
            indicator, period, "afwijking", [])))

    for f in (patched, naive):  # warm caches (boundaries, regions) for both alike
        f(*switches[0])
    results = {}
    largest: dict[str, int] = {}
    for name, f in (("patch", patched), ("naive", naive)):
        times, sizes, zipped = [], [], []
        for i in range(args.repeat):
            ind, period = switches[i % len(switches)]
            start = time.perf_counter()
            payload = f(ind, period)
            times.append(time.perf_counter() - start)
            sizes.append(len(payload.encode("utf-8")))
            zipped.append(len(gzip.compress(payload.encode("utf-8"))))  # as served (gzip)
        results[name] = (statistics.median(sizes), statistics.median(times),
                         statistics.median(zipped))
        largest[name] = max(zipped)
    (pb, pt, pz), (nb, nt, nz) = results["patch"], results["naive"]
    print(f"values callback: {pb / 1024:.1f} KiB ({pz / 1024:.1f} KiB gzipped), "
          f"{pt * 1000:.1f} ms (median of {args.repeat})")
    print(f"whole map:       {nb / 1024:.1f} KiB ({nz / 1024:.1f} KiB gzipped), "
          f"{nt * 1000:.1f} ms (median of {args.repeat})")
    print(f"ratio whole/values: bytes x{nb / pb:.1f}, server time x{nt / pt:.2f}")
    print(f"largest of the {len(switches)} switches, gzipped: values "
          f"{largest['patch'] / 1024:.1f} KiB, whole map {largest['naive'] / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
