"""Score today's `extract` on the frozen geoparsing evaluation sets (issues 12 and 13).

Usage: python bench/eval_geoparse.py [--lang en|uk|ru] [--part dev|holdout] [--errors] [--json]

Prints recognition P/R/F1 (exact and overlapping spans), accuracy within 161 km of the
recognised toponyms (areas: also inside their bbox), end-to-end, admin-1 accuracy, traps
(common words read as places), government names read as event locations, and the same per
error class; then dates, figures and claimants. --errors lists every miss (dev passages
only unless --part holdout is given: held-out passages are measured, never read for tuning).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geoevents.extract.geoparse_eval import evaluate, format_table, load  # noqa: E402

GOLD = REPO / "tests" / "data" / "geoparse" / "gold.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "uk", "ru"), help="one language only")
    parser.add_argument("--part", choices=("dev", "holdout"), help="one part only")
    parser.add_argument("--errors", action="store_true", help="list misses (dev unless --part holdout)")
    parser.add_argument("--json", action="store_true", help="summary as JSON")
    args = parser.parse_args()
    passages = [p for p in load(GOLD) if (args.lang is None or p["lang"] == args.lang)
                and (args.part is None or p["split"] == args.part)]
    started = time.perf_counter()
    report = evaluate(passages)
    seconds = time.perf_counter() - started
    if args.json:
        out = {f"{lang}/{part}": tally.summary() for (lang, part), tally in sorted(report.parts.items())}
        out["classes"] = {f"{lang}/{name}": t.summary() for (lang, name), t in sorted(report.classes.items())}
        print(json.dumps(out, indent=1))
        return 0
    print(f"{len(passages)} passages, {sum(len(p['text'].split()) for p in passages):,} words, "
          f"extract + scoring in {seconds:.1f} s\n")
    print(format_table(report))
    if args.errors:
        shown = "/holdout " if args.part == "holdout" else "/dev "
        print("\nmisses:")
        for line in report.errors:
            if shown in line:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
