"""Benchmark: `zichtop build` from the mirror against DuckDB's bare read of the same CSV files,
in the same run (ratio), plus peak memory of the build.

Usage: python bench/build_time.py [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import duckdb

    from zichtop.catalog import TABLES
    from zichtop.config import DEFAULT_MIRROR, Settings
    from zichtop.regions import GEBIEDEN
    from zichtop.store import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror", default=str(DEFAULT_MIRROR))
    args = parser.parse_args()
    cbs = Path(args.mirror) / "cbs"
    files = [(cbs / f"{t}.csv", ";") for t in GEBIEDEN.values()]
    files += [(Path(args.mirror) / s.mirror_extract, ";" if s.mirror_metadata else ",")
              if s.mirror_extract
              else (cbs / f"{s.id}.csv", ";") for s in TABLES.values()]

    start = time.perf_counter()
    con = duckdb.connect()
    for f, delimiter in files:
        con.execute(f"SELECT count(*) FROM read_csv('{f}', delim='{delimiter}', header=true, "
                    "all_varchar=true)").fetchall()
    bare = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build(Settings(source="mirror", mirror_dir=Path(args.mirror),
                       db_path=Path(tmp) / "z.duckdb"))
        full = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"DuckDB bare read of {len(files)} CSV files: {bare:.2f} s")
    print(f"zichtop build (normalise, crosswalk, boundaries, results): {full:.2f} s")
    print(f"ratio build/bare read: x{full / bare:.0f}; peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
