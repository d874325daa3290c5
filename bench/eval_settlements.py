"""Score the offline gazetteer on the frozen front-line settlements set (issue 11).

Usage: python bench/eval_settlements.py [--part dev|holdout] [--country UA|RU] [--errors] [--json]
                                        [--rows FILE.jsonl]

Prints, per country and part (dev / holdout) and per query kind and hint: right oblast, right
oblast for second spellings (other Latin, Ukrainian and Russian forms), within 5/10/25 km (of the
rows whose settlement has a known point), right settlement (by KATOTTG code or registry id when
the result carries one, else within 2 km), unresolved, wrong namesake, other wrong place, right
raion (when results carry one) and the share of estimated points whose uncertainty_km holds the
truth. --errors lists the misses of dev rows only (held-out rows are measured, never read for
tuning; pass --part holdout to list those deliberately). --rows writes every row's outcome as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geoevents.places.settlements_eval import evaluate, format_table, gazetteer_lookup, load  # noqa: E402

GOLD = REPO / "tests" / "data" / "settlements"
TARGETS = ("targets (issue 11): UA right oblast >= 95%, within 25 km >= 90%, second spelling right oblast "
           ">= 90%; RU border oblasts within 5 km >= 95%; uncertainty radius holds the truth >= 90%")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "holdout"), help="one part only")
    parser.add_argument("--country", choices=("UA", "RU"), help="one country only")
    parser.add_argument("--errors", action="store_true", help="list misses (dev unless --part holdout)")
    parser.add_argument("--json", action="store_true", help="summary as JSON")
    parser.add_argument("--rows", type=Path, help="write every row's outcome to this JSON-lines file")
    args = parser.parse_args()
    truth, queries = load(GOLD)
    queries = [q for q in queries if (args.part is None or q["split"] == args.part)
               and (args.country is None or truth[q["settlement"]]["country"] == args.country)]
    lookup = gazetteer_lookup()
    started = time.perf_counter()
    lookup("Kyiv")   # load the index outside the timing
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    report = evaluate(lookup, truth, queries)
    seconds = time.perf_counter() - started
    if args.json:
        out = {" ".join(key): tally.summary() for key, tally in sorted(report.parts.items())}
        out["kinds"] = {" ".join(key): t.summary() for key, t in sorted(report.kinds.items())}
        out["hints"] = {" ".join(key): t.summary() for key, t in sorted(report.hints.items())}
        out["fields_seen"] = sorted(report.fields_seen)
        print(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        settlements = len({q["settlement"] for q in queries})
        print(f"{settlements} settlements, {len(queries)} queries; index load {loaded:.1f} s, "
              f"lookups + scoring {seconds:.1f} s\n")
        print(format_table(report))
        print("\n" + TARGETS)
    if args.errors:
        shown = args.part or "dev"
        print(f"\nmisses ({shown}):")
        for row in report.rows:
            if row["split"] == shown and row["verdict"] != "right":
                hint = row["within"] or row["country_hint"] or "-"
                away = "" if row["distance_km"] is None else f" {row['distance_km']} km away,"
                error = "" if not row["error"] else " | " + row["error"][:80]
                print(f"  {row['verdict']:<15} {row['query']!r} [{row['kind']}, {hint}] -> {row['got']}{away} "
                      f"want {row['truth']}{error}")
    if args.rows:
        with open(args.rows, "w", encoding="utf-8") as handle:
            for row in report.rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
