"""Size of the shipped boundaries and what loading them costs a fresh process.

Usage: python bench/bench_boundaries.py [--quick] [--runs N]

Prints the size of data/boundaries/boundaries.gpkg on disk and deflated (what git
and the wheel store), then, each in a fresh Python process and as the median of
several runs (wall clock and CPU seconds; the machine is shared, CPU time is the
steadier figure), the time read_boundaries("admin1") + read_boundaries("admin0")
takes:
- with the derived cache already built (what every command pays; target <= 0.3 s),
- on the first load, which builds the cache (once per file version and install),
- reading the GeoPackage through GDAL directly, without the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

LOAD = """
import json, time
from geoevents.regions.boundaries import read_boundaries
wall, cpu = time.perf_counter(), time.process_time()
read_boundaries("admin1"); read_boundaries("admin0")
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""

DIRECT = """
import json, time
from geoevents.regions.boundaries import shipped_path
from geoevents.regions.shipped import read_layer
wall, cpu = time.perf_counter(), time.process_time()
read_layer(shipped_path(), "admin1"); read_layer(shipped_path(), "admin0")
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def data_sizes_mb() -> tuple[float, float]:
    """The shipped GeoPackage on disk and deflated (zlib level 6, as git and wheels store it)."""
    from geoevents.regions.boundaries import shipped_path

    data = shipped_path().read_bytes()
    return len(data) / 1e6, len(zlib.compress(data, 6)) / 1e6


def fresh_process(code: str, cache: Path) -> tuple[float, float]:
    """(wall, cpu) seconds that `code` reports, run in a new interpreter using `cache`."""
    env = dict(os.environ, GEOEVENTS_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    wall, cpu = json.loads(out.stdout.strip().splitlines()[-1])
    return wall, cpu


def median_load(code: str, runs: int, fresh_cache: bool) -> tuple[float, float]:
    """Median (wall, cpu) over `runs` fresh processes; a new empty cache each run if asked."""
    results = []
    with tempfile.TemporaryDirectory(prefix="geoevents-bench-") as folder:
        warm = Path(folder) / "warm"
        if not fresh_cache:
            fresh_process(code, warm)  # build it once, untimed
        for run in range(runs):
            cache = Path(folder) / f"cold{run}" if fresh_cache else warm
            results.append(fresh_process(code, cache))
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def warm_load_seconds(runs: int) -> float:
    """Median wall seconds of admin1+admin0 in a fresh process with a built cache."""
    return median_load(LOAD, runs, fresh_cache=False)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)

    disk, packed = data_sizes_mb()
    print(f"data/boundaries/boundaries.gpkg: {disk:.1f} MB on disk, {packed:.1f} MB deflated (git, wheel)")
    for label, code, fresh in (
        ("warm cache (every command)", LOAD, False),
        ("first load (builds the cache)", LOAD, True),
        ("GeoPackage through GDAL, no cache", DIRECT, True),
    ):
        wall, cpu = median_load(code, runs, fresh)
        target = "  (target <= 0.3 s)" if not fresh else ""
        print(f"{label:<36} median of {runs}: {wall:.3f} s wall, {cpu:.3f} s CPU{target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
