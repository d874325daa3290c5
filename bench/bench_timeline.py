"""Benchmark: the full territory timeline over every DeepStateMap snapshot.

Usage: python bench/bench_timeline.py [--quick] [--runs N] [--data DIR]

Measures (medians of several runs):
- read: read_control over the snapshot folder (parse, validate, dissolve);
- timeline: area held per date (geodesic km²) and gained/lost between consecutive
  snapshots (shapely 2 array differences, slivers dropped), net change per week/month;
- full: read + timeline, the figure the issue's target (<= 60 s, > 250 dates) applies to;
- naive peer: a plain Python loop of shapely `difference` + `.area` on the unprojected
  polygons. Its "areas" are square degrees — not even comparable units (a square degree
  is ~12,300 km² at the equator and ~7,900 km² at 50°N) — so it is a speed reference only.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from timing import timed  # bench/timing.py (scripts run from bench/)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "deepstate"
TARGET_SECONDS = 60.0


def naive_loop(geoms) -> list[tuple[float, float, float]]:
    """The obvious script: per pair, difference both ways and take `.area` (square degrees)."""
    rows = []
    for before, after in zip(geoms, geoms[1:]):
        rows.append((after.area, after.difference(before).area, before.difference(after).area))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 60 snapshots, 2 runs")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default 3; quick 2)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="snapshot folder")
    args = parser.parse_args()
    if not any(args.data.glob("*.geojson")):
        print(f"skipped: no snapshots in {args.data}", file=sys.stderr)
        return 0
    runs = args.runs or (2 if args.quick else 3)

    from geoevents.territory.control import list_snapshots, read_control
    from geoevents.territory.timeline import resample_timeline, timeline

    dates = sorted(list_snapshots(args.data))
    if args.quick:
        dates = dates[:60]

    def read():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read_control(args.data, dates=dates)

    def build(control):
        table = timeline(control)
        resample_timeline(table, "week")
        resample_timeline(table, "month")
        return table

    read_s, control = timed(read, runs)
    timeline_s, table = timed(lambda: build(control), runs)
    full_s, _ = timed(lambda: build(read()), runs)
    geoms = list(control.geometry)
    naive_s, naive = timed(lambda: naive_loop(geoms), runs)

    vertices = sum(len(g.exterior.coords) + sum(len(r.coords) for r in g.interiors)
                   for m in geoms for g in getattr(m, "geoms", [m]))
    print(f"snapshots: {len(control)} dates {control['date'].min()}..{control['date'].max()}, "
          f"{vertices / len(geoms):,.0f} vertices each on average; {runs} runs, medians")
    print(f"read_control           {read_s:8.2f} s")
    print(f"timeline (geodesic)    {timeline_s:8.2f} s   area held + gained/lost per pair + week/month")
    print(f"full (read + timeline) {full_s:8.2f} s   target <= {TARGET_SECONDS:.0f} s: "
          f"{'met' if full_s <= TARGET_SECONDS else 'MISSED'}")
    print(f"naive shapely loop     {naive_s:8.2f} s   difference + .area, square degrees (not km²)")
    print(f"ratio timeline / naive {timeline_s / naive_s:8.2f} x   (ours also measures geodesic km², "
          "drops slivers, resamples)")
    last = table.iloc[-1]
    deg2 = naive[-1][0]
    print(f"last date: {last['area_km2']:,.0f} km² held (geodesic) vs {deg2:,.2f} square degrees (naive)")
    return 0 if full_s <= TARGET_SECONDS or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
