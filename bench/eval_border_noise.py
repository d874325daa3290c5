"""Measure the border-noise rule of `diff --by admin1` on the DeepStateMap timeline.

Usage: python bench/eval_border_noise.py [--data DIR] [--step N]

For every pair of consecutive snapshots (or every N-th with --step), and for the
whole span, splits the change by region and reports how much area the rule
(geoevents.territory.border_noise) takes out of gained/lost as border noise, in
which regions, and the largest pieces, so the docs can quote measured figures
and anyone can check that no change inside the mapped country is reclassified.
"""

from __future__ import annotations

import argparse
import collections
import sys
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "deepstate"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--step", type=int, default=1, help="compare every N-th snapshot with the next kept one")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no snapshot folder at {args.data}", file=sys.stderr)
        return 1

    from geoevents.territory.control import read_control
    from geoevents.territory.diff import diff_control

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        control = read_control(args.data)
    dates = sorted(set(control["date"]))[:: args.step]
    by_date = {day: control[control["date"] == day] for day in dates}
    totals = collections.Counter()
    regions = collections.Counter()
    pieces = []
    pairs = list(zip(dates, dates[1:]))
    for number, (a, b) in enumerate(pairs, 1):
        changes = diff_control(by_date[a], by_date[b], by="admin1")
        for row in changes.itertuples(index=False):
            totals[row.change] += row.area_km2
            totals[f"{row.change} pieces"] += 1
            if row.change == "noise":
                regions[row.admin1_code] += row.area_km2
                pieces.append((row.area_km2, a, b, row.admin1_code))
        if number % 25 == 0:
            print(f"... {number}/{len(pairs)} pairs", file=sys.stderr)

    moved = totals["gained"] + totals["lost"] + totals["noise"]
    print(f"{len(pairs)} consecutive pairs, {dates[0]} .. {dates[-1]}")
    print(f"gained {totals['gained']:,.2f} km² ({totals['gained pieces']} pieces), "
          f"lost {totals['lost']:,.2f} km² ({totals['lost pieces']} pieces)")
    print(f"border noise {totals['noise']:,.2f} km² in {totals['noise pieces']} pieces "
          f"= {totals['noise'] / moved:.2%} of all changed area")
    for code, km2 in regions.most_common():
        print(f"  {code}: {km2:,.2f} km²")
    print("largest noise pieces:")
    for km2, a, b, code in sorted(pieces, reverse=True)[:5]:
        print(f"  {km2:.3f} km² {code} {a}..{b}")
    inside = [code for code in regions if isinstance(code, str) and code.startswith("UA-")]
    print(f"noise pieces in Ukrainian regions (must be none): {len(inside)}")

    whole = diff_control(by_date[dates[0]], by_date[dates[-1]], by="admin1")
    noise = whole[whole["change"] == "noise"]
    print(f"whole span {dates[0]}..{dates[-1]}: gained {whole.loc[whole.change == 'gained', 'area_km2'].sum():,.2f}"
          f" km², lost {whole.loc[whole.change == 'lost', 'area_km2'].sum():,.2f} km², noise "
          f"{noise['area_km2'].sum():,.2f} km² in {', '.join(sorted(map(str, set(noise['admin1_code']))))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
