"""Scale on paper and in a run: a synthetic mirror table at buurt size, built with the project's
own normalisation and area method.

The table has the shape of a cbsodata dump of a KWB-like table: 18,300 areas (342 municipalities,
10 wijken each, 4-5 buurten per wijk) x 10 years x 40 count measures plus inhabitants. The run
writes it as `cbs/SYNTHNED.csv` in a temporary mirror, then does what the build does for an area
table: the build's staging (zichtop.pipeline.normalise.stage) into `observations` in a DuckDB file, the area
dimension, and the area method (zichtop.pipeline.marts.areas) for 40 rate indicators at wijk and buurt
level (funnel limits, small numbers, complementary suppression, coverage). It reports time per
step, peak memory of the process and the database size.

Usage: python bench/buurt_scale.py [--indicators 40] [--years 10]
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from zichtop.core.areas import AREA_COLUMNS, municipality_of, parent_of  # noqa: E402
from zichtop.indicators.catalog import TABLES, Measure, TableSpec  # noqa: E402
from zichtop.indicators.model import RATE, Indicator, Source, Theme  # noqa: E402
from zichtop.pipeline.marts.areas import compute_area_indicator  # noqa: E402
from zichtop.pipeline.normalise import stage  # noqa: E402
from zichtop.pipeline.sources import read_mirror_table  # noqa: E402
from zichtop.pipeline.steps.context import write  # noqa: E402

TABLE = "SYNTHNED"


def area_codes() -> list[str]:
    codes = []
    for g in range(342):
        gm = f"{g + 1:04d}"
        codes.append(f"GM{gm}")
        for w in range(10):
            codes.append(f"WK{gm}{w:02d}")
            codes += [f"BU{gm}{w:02d}{b:02d}" for b in range(4 + (g * 10 + w) % 4 // 3 + 0)]
    return codes


def synthetic_csv(path: Path, n_measures: int, years: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    codes = area_codes()
    level = np.array([c[:2] for c in codes])
    base = np.where(level == "GM", 50_000, np.where(level == "WK", 5_000, 1_100))
    inhabitants = np.round(rng.lognormal(np.log(base), 0.6) / 5) * 5
    frames = []
    for y in range(years):
        f = pd.DataFrame({"WijkenEnBuurten": [f"Gebied {c}" for c in codes],
                          "Perioden": str(2015 + y), "Codering_3": codes,
                          "Inwoners": inhabitants.astype(int).astype(str)})
        rates = rng.gamma(4.0, 0.005, size=(n_measures, 1)) * rng.lognormal(0, 0.3, len(codes))
        for m in range(n_measures):
            counts = np.round(rng.poisson(inhabitants * rates[m]) / 5) * 5
            f[f"M{m + 1:02d}"] = counts.astype(int).astype(str)
        frames.append(f)
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "ID", range(len(table)))
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--write", help=argparse.SUPPRESS)  # internal: only write the CSV
    args = parser.parse_args()
    if args.write:
        synthetic_csv(Path(args.write), args.indicators, args.years)
        return
    measures = (Measure("Inwoners", "Inwoners", "inwoners"),
                *(Measure(f"M{m + 1:02d}", f"Meting {m + 1}", "aantal")
                  for m in range(args.indicators)))
    spec = TableSpec(id=TABLE, title="Synthetic KWB-like table", region_column="WijkenEnBuurten",
                     region_code_column="Codering_3", measures=measures)
    TABLES[TABLE] = spec  # a benchmark-only declaration, as a catalog entry would be
    inhabitants = Source(TABLE, "Inwoners", rounding=5)
    indicators = tuple(Indicator(id=f"synth_{m.key}", label=m.label, description="",
                                 numerator=Source(TABLE, m.key, rounding=5),
                                 denominator=inhabitants, kind=RATE, unit="per 1 000",
                                 scale=1000.0, levels=("WK", "BU"))
                       for m in measures[1:])
    theme = Theme("synth", "Synthetisch", "", (), indicators)
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        mirror = Path(tmp) / "cbs"
        start = time.perf_counter()
        # written by a child process, so this process's peak memory is the build's alone
        subprocess.run([sys.executable, __file__, "--write", str(mirror / f"{TABLE}.csv"),
                        "--indicators", str(args.indicators), "--years", str(args.years)],
                       check=True)
        rows = len(area_codes()) * args.years
        times["generate the CSV (not part of a build)"] = time.perf_counter() - start
        size_csv = (mirror / f"{TABLE}.csv").stat().st_size
        db_path = Path(tmp) / "scale.duckdb"
        con = duckdb.connect(str(db_path), config={"memory_limit": "512MB"})

        start = time.perf_counter()
        bare = con.execute(f"SELECT count(*) FROM read_csv('{mirror / TABLE}.csv', delim=';', "
                           "header=true, all_varchar=true)").fetchall()[0][0]
        times["DuckDB bare read of the CSV"] = time.perf_counter() - start
        assert bare == rows

        start = time.perf_counter()
        raw = read_mirror_table(mirror, TABLE)
        con.execute("CREATE SCHEMA raw")
        write(con, f'raw."{TABLE}"', raw.frame)  # as the load step keeps it
        del raw
        n_obs = 0
        # the build's staging (zichtop.pipeline.normalise.stage) on the raw table, ten measures at a
        # time, each part inserted into observations
        for n in range(0, len(spec.measures), 10):
            part = dataclasses.replace(spec, measures=spec.measures[n:n + 10])
            stage(con, f'raw."{TABLE}"', part, lambda _t, _y: None, TABLE, "_part")
            con.execute("CREATE TABLE observations AS SELECT * FROM _part" if n == 0 else
                        "INSERT INTO observations SELECT * FROM _part")
            n_obs += con.execute("SELECT count(*) FROM _part").fetchall()[0][0]
            con.execute("DROP TABLE temp._part")
        times["load + normalise -> observations"] = time.perf_counter() - start
        peak_after_normalise = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        start = time.perf_counter()
        areas = con.execute(
            "SELECT DISTINCT region_code AS code, region_title AS name, region_level AS level, "
            "value AS inhabitants FROM observations WHERE measure = 'Inwoners' AND year = ?",
            [2015 + args.years - 1]).df()
        areas["parent_code"] = areas["code"].map(parent_of)
        areas["municipality_code"] = areas["code"].map(municipality_of)
        areas["inhabitants_source"] = TABLE
        areas = areas[AREA_COLUMNS]
        con.register("_areas", areas)
        con.execute("CREATE TABLE areas AS SELECT * FROM _areas")
        times["areas"] = time.perf_counter() - start

        start = time.perf_counter()
        n_results = 0
        for i, ind in enumerate(indicators):
            result, cov = compute_area_indicator(con, theme.id, ind, areas)
            con.register("_r", result)
            con.execute("CREATE TABLE area_results AS SELECT * FROM _r" if i == 0 else
                        "INSERT INTO area_results SELECT * FROM _r")
            con.unregister("_r")
            n_results += len(result)
        times[f"area method, {len(indicators)} indicators x WK, BU"] = \
            time.perf_counter() - start
        con.execute("CHECKPOINT")
        con.close()
        size_db = db_path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"synthetic table: {rows:,} rows ({len(area_codes()):,} areas x {args.years} years), "
          f"{args.indicators} count measures + inhabitants; CSV {size_csv / 2**20:.0f} MiB")
    for what, seconds in times.items():
        print(f"  {what}: {seconds:.1f} s")
    built = sum(s for w, s in times.items() if not w.startswith(("generate", "DuckDB")))
    print(f"build total: {built:.1f} s (x{built / times['DuckDB bare read of the CSV']:.0f} "
          f"the bare read); {n_obs:,} observations, {n_results:,} area results")
    print(f"peak memory of this process: {peak:,.0f} MiB (after normalising: "
          f"{peak_after_normalise:,.0f} MiB); database {size_db / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
