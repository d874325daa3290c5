"""Benchmark `geoevents extract` against `geotext` on the same texts, in the same run.

Usage: python bench/bench_extract.py [--quick] [--runs N]

Prints throughput in words per second on a large text (our annotated corpus
repeated to ~1 MB; --quick: ~200 kB) and toponym precision / recall / F1 and
resolution accuracy (within 10 km and the right admin-1) on the corpus, for both
tools, and the ratios. geotext only spots names (no coordinates, no roles): its
names are resolved with our gazetteer's top pick so resolution can be compared,
and it is scored on the same gold spans.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from timing import run_times  # bench/timing.py (scripts run from bench/)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geoevents.extract.evaluate import Scores, evaluate, load_gold  # noqa: E402

CORPUS = REPO / "tests" / "data" / "corpus" / "gold.json"


def geotext_mentions(text: str, gazetteer) -> list[dict]:
    """geotext's cities and countries as mention dicts with offsets (found in order in the text)."""
    from geotext import GeoText

    found = GeoText(text)
    mentions: list[dict] = []
    cursor: dict[str, int] = {}
    for name, feature in [(n, "place") for n in found.cities] + [(n, "country") for n in found.countries]:
        match = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)").search(text, cursor.get(name, 0))
        if not match:
            continue
        cursor[name] = match.end()
        result = gazetteer.lookup(name, fuzzy=False)
        mentions.append({**result, "text": name, "start": match.start(), "end": match.end(), "kind": feature,
                         "role": None})
    return mentions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~200 kB instead of ~1 MB, fewer runs")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per tool (default 5, quick 3)")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    size = 200_000 if args.quick else 1_000_000

    from geotext import GeoText

    from geoevents.extract.pipeline import extract
    from geoevents.extract.resolve import Resolver
    from geoevents.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    passages = load_gold(CORPUS)

    # ---- accuracy on the corpus (all passages; held-out ones separately)
    print(f"corpus: {len(passages)} passages, "
          f"{sum(1 for p in passages for m in p['mentions'] if m['feature'] in ('place', 'admin1', 'country'))} "
          "gold toponyms")
    results: dict[str, dict[str, Scores]] = {}
    for split, chosen in (("all", passages), ("held-out", [p for p in passages if p.get("split") == "holdout"])):
        ours = evaluate(chosen, lambda p: extract(p["text"], published=p["published"]).mention_dicts())
        peer = evaluate(chosen, lambda p: geotext_mentions(p["text"], gazetteer))
        results[split] = {"geoevents": ours, "geotext": peer}
    print(f"{'accuracy':<22}{'split':<10}{'P':>7}{'R':>7}{'F1':>7}{'resol.':>8}{'end2end':>9}{'roles':>7}")
    for split, pair in results.items():
        for tool, scores in pair.items():
            roles = f"{scores.role_accuracy:7.3f}" if tool == "geoevents" else "      -"
            end_to_end = scores.resolved_ok / (scores.tp + scores.fn) if scores.tp + scores.fn else 0.0
            print(f"{tool:<22}{split:<10}{scores.precision:7.3f}{scores.recall:7.3f}{scores.f1:7.3f}"
                  f"{scores.resolution:8.3f}{end_to_end:9.3f}{roles}")
    print("(resol. = right place among the gold toponyms found; end2end = right place among all gold toponyms)")
    ours, peer = results["all"]["geoevents"], results["all"]["geotext"]
    print(f"ratio geoevents/geotext (all): F1 x{ours.f1 / peer.f1:.2f}, "
          f"resolution x{ours.resolution / max(peer.resolution, 1e-9):.2f}, "
          f"end2end x{ours.resolved_ok / max(peer.resolved_ok, 1):.2f}")

    # ---- throughput on one large text
    block = "\n".join(p["text"] for p in passages)
    big = block * (size // len(block) + 1)
    words = len(big.split())
    print(f"\nthroughput on {len(big) / 1e6:.2f} MB ({words:,} words), median of {runs} runs")
    cold = Resolver(gazetteer)
    started = time.perf_counter()
    extract(big, published="2025-01-01", resolver=cold)
    first = time.perf_counter() - started
    ours_times, _ = run_times(lambda: extract(big, published="2025-01-01", resolver=cold), runs)
    peer_times, _ = run_times(lambda: GeoText(big), runs)
    ours_median, peer_median = statistics.median(ours_times), statistics.median(peer_times)
    print(f"  geoevents extract: {words / ours_median:>12,.0f} words/s  (first run, cold lookups: "
          f"{words / first:,.0f} words/s; runs {', '.join(f'{t:.2f}' for t in ours_times)} s)")
    print(f"  geotext          : {words / peer_median:>12,.0f} words/s  (runs {', '.join(f'{t:.2f}' for t in peer_times)} s)")
    print(f"  ratio geoevents/geotext speed: x{peer_median / ours_median:.2f}")
    # the same passages one article at a time (how the command is used): per-story overhead included
    texts = [p["text"] for p in passages] * max(1, size // len(block))
    story_words = sum(len(t.split()) for t in texts)
    ours_story = statistics.median(run_times(lambda: [extract(t, published="2025-01-01", resolver=cold) for t in texts], runs)[0])
    peer_story = statistics.median(run_times(lambda: [GeoText(t) for t in texts], runs)[0])
    print(f"  one story at a time ({len(texts):,} stories): geoevents {story_words / ours_story:,.0f} words/s, "
          f"geotext {story_words / peer_story:,.0f} words/s, ratio x{peer_story / ours_story:.2f}")
    print("  (geoevents also splits sentences, resolves places with roles, finds figures, dates and "
          "claimants and drafts events; geotext only matches names)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
