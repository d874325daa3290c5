"""Score the Ukrainian/Russian extraction components one by one on the frozen evaluation sets.

Usage: python bench/eval_uk_ru.py [--part dev|holdout] [--lang uk|ru] [--errors] [--speed] [--json]

Prints, per component (language detection, region phrases, districts, dates, figures,
claimants, government names, non-places), language and part, the gold items read right, recall,
predictions and precision (geoevents.extract.slavic_eval), and with --speed the words per
second of each component on the uk/ru passages. --errors lists the misses of dev passages only:
held-out passages are measured, never read to change rules (--part holdout --errors is refused).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geoevents.extract.geoparse_eval import load  # noqa: E402
from geoevents.extract.slavic_eval import (  # noqa: E402
    COMPONENTS, evaluate_components, format_report, words_per_second)

GOLD = REPO / "tests" / "data" / "geoparse" / "gold.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "holdout"), help="one part only")
    parser.add_argument("--lang", choices=("uk", "ru"), help="one language only (language detection: en too)")
    parser.add_argument("--errors", action="store_true", help="list the misses of dev passages")
    parser.add_argument("--speed", action="store_true", help="words per second of each component")
    parser.add_argument("--json", action="store_true", help="the counts as JSON")
    args = parser.parse_args()
    if args.errors and args.part == "holdout":
        parser.error("held-out errors are not shown: held-out passages are measured, never read for tuning")
    passages = [p for p in load(GOLD) if (args.part is None or p["split"] == args.part)
                and (args.lang is None or p["lang"] in (args.lang, "en"))]
    report = evaluate_components(passages)
    parts = (args.part,) if args.part else ("dev", "holdout")
    if args.json:
        out = {f"{name}/{lang}/{part}": dict(count.__dict__, recall=round(count.recall, 3),
                                             precision=round(count.precision, 3))
               for (name, lang, part), count in sorted(report.counts.items())}
        print(json.dumps(out, indent=1))
        return 0
    print(format_report(report, parts))
    if args.errors:
        print("\nmisses (dev):")
        for line in report.errors:
            if "/dev " in line:
                print("  " + line)
    if args.speed:
        speed = words_per_second([p for p in passages if p["lang"] in ("uk", "ru")])
        print("\nwords/s: " + ", ".join(f"{name} {value:,.0f}" for name, value in speed.items()))
    assert set(COMPONENTS) >= {name for name, _, _ in report.counts}
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
