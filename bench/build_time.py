"""Benchmark: `zichtop build` from the mirror against DuckDB's bare read of the same files, both
as whole processes in the same run (the ratio is the figure; absolute times are noisy), plus
the build's steps and peak memory.

The bare read is a fresh Python process that imports duckdb and counts the rows of every file
the build reads: each table's CSV (`read_csv`, all text) and the boundary GeoJSON files
(`read_json_objects`). The build is `zichtop build --quiet` into a temporary database.

Usage: python bench/build_time.py [--repeat 5] [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BARE = """
import sys, json, duckdb
con = duckdb.connect()
for path, delimiter in json.loads(sys.argv[1]):
    if delimiter:
        con.execute("SELECT count(*) FROM read_csv(?, delim=?, header=true, all_varchar=true)",
                    [path, delimiter]).fetchall()
    else:
        con.execute("SELECT count(*) FROM read_json_objects(?)", [path]).fetchall()
"""


def input_files(mirror: Path) -> list[tuple[str, str]]:
    """Every file the build reads from the mirror: (path, CSV delimiter or '' for JSON)."""
    from zichtop.indicators.catalog import TABLES
    from zichtop.pipeline.geo import LAYERS
    from zichtop.pipeline.regions import GEBIEDEN

    cbs = mirror / "cbs"
    files = [(str(cbs / f"{t}.csv"), ";") for t in GEBIEDEN.values()]
    for spec in TABLES.values():
        if spec.mirror_extract:
            files.append((str(mirror / spec.mirror_extract), ";" if spec.mirror_metadata else ","))
        else:
            files.append((str(cbs / f"{spec.id}.csv"), ";"))
    files.append((str(mirror / "crosswalk" / "gemeente_crosswalk.csv"), ","))
    files += [(str(mirror / "geo" / name), "") for name in LAYERS.values()]
    return files


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def steps_in_process(mirror: Path, db: Path) -> tuple[dict[str, float], float]:
    """Seconds per step of one build in this process (after a warm-up build), and its peak
    memory in MiB."""
    import resource

    from zichtop.core.config import Settings
    from zichtop.pipeline.run import build

    settings = Settings(source="mirror", mirror_dir=mirror, db_path=db)
    build(settings)
    seconds: dict[str, float] = {}
    current: list = [None, 0.0]

    def on_step(step: object) -> None:
        now = time.perf_counter()
        if current[0] is not None:
            seconds[current[0]] = now - current[1]
        current[0], current[1] = step.name, now  # type: ignore[attr-defined]

    build(settings, on_step=on_step)
    seconds[current[0]] = time.perf_counter() - current[1]
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from zichtop.core.config import DEFAULT_MIRROR

    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror", default=str(DEFAULT_MIRROR))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    mirror = Path(args.mirror)
    files = input_files(mirror)
    zichtop = str(Path(sys.executable).with_name("zichtop"))
    bare, full = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "z.duckdb"
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            bare.append(timed([sys.executable, "-c", BARE, json.dumps(files)]))
            full.append(timed([zichtop, "build", "--quiet", "--source", "mirror", "--db",
                               str(db)]))
        steps, peak = steps_in_process(mirror, Path(tmp) / "steps.duckdb")
    b, f = statistics.median(bare), statistics.median(full)
    print(f"DuckDB bare read of {len(files)} files, whole process: {b:.2f} s "
          f"(median of {args.repeat})")
    print(f"zichtop build, whole process: {f:.2f} s (median of {args.repeat})")
    print(f"ratio build / bare read: x{f / b:.1f}")
    print("steps in process: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
          + f"; total {sum(steps.values()):.2f} s; peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
