"""HTML size and time to render for 1,000 / 10,000 / 100,000 events: geoevents vs plain folium.

Usage: python bench/bench_map.py [--quick] [--runs N] [--folium-render-max N]

"Plain folium" is the usual way: one folium.Marker with a folium.Popup per event.
Both pages open in headless Chromium (/usr/bin/chromium) with ALL network blocked;
so that the folium page can run at all offline, its CDN <script>/<link> tags
are replaced by the same inlined Leaflet 1.9.4 plus jQuery (folium's popups call $(html)) from
Debian's libjs-jquery, or where that is absent a two-line stand-in for that one
call (cheaper than jQuery itself). Its size is reported as folium writes it (CDN
links, no inlined Leaflet). Render time = navigation start until the map
has drawn (our renderer's ready flag; folium's load event) plus two animation
frames. Plain folium takes about a minute to draw 10,000 markers here, so by
default its render is timed up to 10,000 events only (its size is always
measured); --folium-render-max 100000 tries the largest too (several minutes).
The full run takes 10-15 minutes on a busy 2-core machine (building the
100,000-marker folium page alone takes minutes); --quick about 3.
Targets (issue 5): 100,000 events <= 15 MB and <= 5 s, >= 5x smaller than folium.
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

KINDS = ["attack", "advance", "withdrawal", "control", "casualties", "deployment", "statement", "other"]
STATUSES = ["claimed", "reported", "confirmed", "disputed"]
CLAIMANTS = ["Ukrainian General Staff", "Russian Ministry of Defence", "ISW", "Reuters", "Local officials"]
WORDS = ("forces shelling village reported strike drone column moved near the border area claimed "
         "captured positions artillery offensive defence lines settlement heavy fighting").split()

SYSTEM_JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")
DRAWN_AND_IDLE = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now();
}"""


def synthetic_events(n: int, seed: int = 42):
    """n events over eastern Ukraine / western Russia with realistic text lengths."""
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(seed)
    words = np.array(WORDS)
    claims = [" ".join(rng.choice(words, 9)).capitalize() + "." for _ in range(n)]
    days = rng.integers(0, 900, n)
    dates = [str(np.datetime64("2023-01-01") + int(d)) for d in days]
    frame = {
        "id": [f"ev-{i:06d}" for i in range(n)],
        "date": dates, "date_precision": "day", "date_text": None,
        "place": [f"Settlement {i % 5000}" for i in range(n)],
        "admin1_code": None, "admin1_name": None, "country_code": "UA",
        "kind": rng.choice(KINDS, n), "actor": None,
        "claimant": rng.choice(CLAIMANTS, n), "claim": claims,
        "figure": None, "figure_unit": None, "approximate": False,
        "status": rng.choice(STATUSES, n),
        "source": rng.choice(["Wire A", "Paper B", "Channel C"], n),
        "source_url": [f"https://example.org/story/{i % 2000}" for i in range(n)],
        "published": "2025-02-07",
    }
    geometry = gpd.points_from_xy(rng.uniform(30.0, 40.0, n), rng.uniform(46.0, 52.5, n))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def build_ours(events, path: Path) -> float:
    from geoevents.maps.html import make_map, save_map

    started = time.perf_counter()
    save_map(make_map(events, title="Benchmark", boundaries=False), path)
    return time.perf_counter() - started


def build_folium(events, path: Path, offline_copy: Path) -> float:
    import folium

    from geoevents.maps import assets

    started = time.perf_counter()
    fmap = folium.Map(location=[49.0, 35.0], zoom_start=6)
    for row in events.itertuples():
        popup = (f"<b>{html.escape(row.place)}</b><br>{row.date}<br>{html.escape(row.claim)}<br>"
                 f"{html.escape(row.claimant)} · {row.status}<br>"
                 f'<a href="{html.escape(row.source_url)}">{html.escape(row.source)}</a>')
        folium.Marker([row.geometry.y, row.geometry.x], popup=folium.Popup(popup, max_width=300)).add_to(fmap)
    fmap.save(str(path))
    seconds = time.perf_counter() - started
    # the same page made runnable offline: Leaflet inlined, the other CDN tags dropped
    text = path.read_text(encoding="utf-8")
    import re

    text = re.sub(r'<script src="https://[^"]+"></script>', "", text)
    text = re.sub(r'<link rel="stylesheet" href="https://[^"]+"/>', "", text)
    jquery_stand_in = ("<script>window.$ = function (s) { var t = document.createElement('template');"
                       " t.innerHTML = String(s).trim(); return [t.content.firstChild]; };</script>")
    if SYSTEM_JQUERY.is_file():  # Debian's libjs-jquery: the real thing folium links
        jquery_stand_in = "<script>" + SYSTEM_JQUERY.read_text(encoding="utf-8") + "</script>"
    inline = jquery_stand_in + f"<style>{assets.leaflet_css()}</style><script>{assets.leaflet_js()}</script><script>{assets.marker_icons_js()}</script>"
    offline_copy.write_text(text.replace("<head>", "<head>" + inline, 1), encoding="utf-8")
    return seconds


def render_seconds(page, path: Path, ready: str, timeout_s: float) -> float | None:
    """Seconds from navigation start until drawn and idle, or None on timeout."""
    try:
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function(ready, timeout=timeout_s * 1000)
        return page.evaluate(DRAWN_AND_IDLE) / 1000.0
    except Exception as error:  # playwright TimeoutError or a crashed tab
        print(f"    render failed: {type(error).__name__}: {str(error).splitlines()[0]}", flush=True)
        return None


def measure(kind: str, path: Path, n: int, runs: int, timeout_s: float) -> list[float]:
    from browser_support import offline_page

    ready = "window.geoeventsReady === true" if kind == "ours" else \
        f"document.querySelectorAll('.leaflet-marker-icon').length >= {n}"
    times = []
    for _ in range(runs):
        with offline_page() as (page, log):
            seconds = render_seconds(page, path, ready, timeout_s)
            errors = log.js_errors()
        if errors:
            print(f"    JS errors in {kind}: {errors[:3]}", flush=True)
        if seconds is None:
            break
        times.append(seconds)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 events only, fewer runs")
    parser.add_argument("--runs", type=int, default=None, help="browser runs per map (median reported)")
    parser.add_argument("--folium-render-max", type=int, default=10_000,
                        help="time plain folium's render only up to this many events (default 10,000)")
    args = parser.parse_args()

    from browser_support import chromium_path

    if chromium_path() is None:
        print("no Chromium at /usr/bin/chromium: cannot measure render time", file=sys.stderr)
        return 1
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    runs = args.runs or (2 if args.quick else 3)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-map-") as folder:
        tmp = Path(folder)
        for n in sizes:
            events = synthetic_events(n)
            ours, plain, plain_offline = tmp / f"ours-{n}.html", tmp / f"folium-{n}.html", tmp / f"folium-offline-{n}.html"
            build_ours_s = build_ours(events, ours)
            build_folium_s = build_folium(events, plain, plain_offline)
            our_times = measure("ours", ours, n, runs, timeout_s=60)
            # plain folium is slow to draw many markers: one run from 10,000 events up
            folium_times = (measure("folium", plain_offline, n, 1 if n >= 10_000 else runs, timeout_s=300)
                            if n <= args.folium_render_max else None)
            row = {
                "n": n, "ours_mb": ours.stat().st_size / 1e6, "folium_mb": plain.stat().st_size / 1e6,
                "ours_build": build_ours_s, "folium_build": build_folium_s,
                "ours_s": statistics.median(our_times) if our_times else None,
                "folium_s": statistics.median(folium_times) if folium_times else None,
                "runs": (len(our_times), len(folium_times) if folium_times is not None else 0),
            }
            rows.append(row)
            print(f"{n:>7,} events: ours {row['ours_mb']:.2f} MB, render {fmt(row['ours_s'])} "
                  f"(build {build_ours_s:.1f} s) | plain folium {row['folium_mb']:.2f} MB, render "
                  f"{fmt(row['folium_s'])} (build {build_folium_s:.1f} s)", flush=True)
    print("\nevents     ours MB  folium MB  size ratio  ours render  folium render  speed ratio  (median of runs ours/folium)")
    ok = True
    for r in rows:
        size_ratio = r["folium_mb"] / r["ours_mb"]
        speed = f"{r['folium_s'] / r['ours_s']:.1f}x" if r["ours_s"] and r["folium_s"] else "n/a"
        print(f"{r['n']:>7,}  {r['ours_mb']:>8.2f}  {r['folium_mb']:>9.2f}  {size_ratio:>9.1f}x  {fmt(r['ours_s']):>11}  "
              f"{fmt(r['folium_s']):>13}  {speed:>11}  {r['runs'][0]}/{r['runs'][1]}")
        if r["n"] == 100_000:
            ok = r["ours_mb"] <= 15 and (r["ours_s"] or 99) <= 5 and size_ratio >= 5
            print(f"\ntargets at 100,000 events: <= 15 MB: {r['ours_mb']:.2f} MB; <= 5 s: {fmt(r['ours_s'])}; "
                  f">= 5x smaller than folium: {size_ratio:.1f}x -> {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


def fmt(seconds: float | None) -> str:
    return "not timed" if seconds is None else f"{seconds:.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())
