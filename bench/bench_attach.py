"""Benchmark attach_regions against a per-point shapely loop and geopandas sjoin.

Usage: python bench/bench_attach.py [--quick] [--runs N]

Random points over Ukraine and western Russia (lon 22-60, lat 44-60). Prints
medians of several runs: the boundary load time, attach_regions on the full
set (target <= 3 s for 1,000,000 points), geopandas sjoin with default
settings on the same points, and a plain per-point `shapely.contains` loop
over the regions on a sample, extrapolated to the full size. Sizes and load
times of the shipped boundaries in detail: bench/bench_boundaries.py.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench_boundaries import data_sizes_mb, warm_load_seconds  # bench/ scripts run from bench/
from timing import timed

import geopandas as gpd
import numpy as np
import shapely


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 points, fewer runs")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    runs = args.runs or (3 if args.quick else 5)
    sample = 2_000 if args.quick else 5_000

    from geoevents.regions.attach import _layers, attach_regions
    from geoevents.regions.boundaries import read_boundaries

    disk, packed = data_sizes_mb()
    print(f"data/boundaries/boundaries.gpkg: {disk:.1f} MB on disk, {packed:.1f} MB deflated (git, wheel)")
    print(f"boundary load (fresh process, built cache, admin1+admin0), median of {runs}: "
          f"{warm_load_seconds(runs):.3f} s (target <= 0.3 s)")
    started = time.perf_counter()
    _layers()
    print(f"index build on first attach (load + STRtree + prepare): {time.perf_counter() - started:.3f} s")

    rng = np.random.default_rng(42)
    lon, lat = rng.uniform(22.0, 60.0, n), rng.uniform(44.0, 60.0, n)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")

    ours, result = timed(lambda: attach_regions(points), runs)
    matched = result["region_match"].value_counts(dropna=False).to_dict()
    print(f"attach_regions, {n:,} points, median of {runs}: {ours:.2f} s (target <= 3 s for 1,000,000)  {matched}")

    regions = read_boundaries("admin1")
    sjoin_runs = max(1, runs // 2)
    sjoin_time, joined = timed(lambda: gpd.sjoin(points, regions, how="left"), sjoin_runs)
    print(f"geopandas sjoin (default predicate 'intersects'), median of {sjoin_runs}: {sjoin_time:.2f} s "
          f"-> attach_regions is {sjoin_time / ours:.1f}x faster "
          "(sjoin does not break ties on borders nor handle the sea)")

    # the loop gets only the regions touching the sampling box, to be fair to it
    geoms = np.asarray(regions.geometry.array, dtype=object)
    geoms = geoms[shapely.intersects(geoms, shapely.box(22.0, 44.0, 60.0, 60.0))]
    sample_points = shapely.points(lon[:sample], lat[:sample])

    def loop():
        found = []
        for point in sample_points:
            hit = None
            for i, geom in enumerate(geoms):
                if shapely.contains(geom, point):
                    hit = i
                    break
            found.append(hit)
        return found

    loop_time, _ = timed(loop, 1)
    extrapolated = loop_time * n / sample
    print(f"plain per-point shapely.contains loop over the {len(geoms)} regions in the box: {loop_time:.2f} s for {sample:,} "
          f"points -> ~{extrapolated:.0f} s for {n:,} -> attach_regions is {extrapolated / ours:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
