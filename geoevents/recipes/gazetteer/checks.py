"""Checks the recipe runs on what it built; a failed check stops the build.

- the Ukrainian table holds every codifier settlement once, per oblast;
- every point has precision, uncertainty and method, consistently;
- every point lies inside its oblast's shipped polygon, with at most
  MAX_OUTSIDE exceptions (places on a coast or border that the 1:10m outline
  cuts off); the exceptions are listed in the README;
- the registry's points lie inside their region, with the same allowance.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from geoevents.recipes.gazetteer.polygons import admin1_at, in_own_region

# measured 67 and 109 with the 2026-11 inputs and boundaries
MAX_OUTSIDE = {"ua_settlements": 80, "ru_settlements": 125}


class CheckError(RuntimeError):
    """The built tables break one of the recipe's checks."""


def run(ua: pd.DataFrame, settlements: pd.DataFrame, ru_table: pd.DataFrame, strict: bool = True) -> dict:
    problems = []
    expected = Counter(settlements["admin1"])
    found = Counter(ua["admin1"])
    if expected != found or ua["code"].duplicated().any():
        problems.append(f"settlements per oblast differ from the codifier: {dict(expected - found)} missing, "
                        f"{dict(found - expected)} extra, {int(ua['code'].duplicated().sum())} repeated")
    if ua[["latitude", "longitude", "precision", "uncertainty_km", "method"]].isna().any().any():
        problems.append(f"{int(ua['latitude'].isna().sum())} settlements have no point")
    exact = ua["precision"] == "exact"
    if not (ua.loc[exact, "uncertainty_km"] < ua.loc[~exact, "uncertainty_km"].min()).all():
        problems.append("an exact point has an uncertainty as large as an estimated one")
    report = {}
    for name, frame, labels in (("ua_settlements", ua, ["precision", "method"]), ("ru_settlements", ru_table, ["type"])):
        where = admin1_at(frame["latitude"], frame["longitude"])
        ok = in_own_region(frame["admin1"], where)
        outside = frame[~ok].assign(found=where[~ok])
        report[name] = {
            "checked": len(frame), "outside_own_region": int((~ok).sum()), "allowed": MAX_OUTSIDE[name],
            "by_region": dict(sorted(Counter(outside["admin1"]).items())),
            "by_kind": dict(sorted(Counter(" ".join(str(v) for v in row) for row in outside[labels].to_numpy()).items())),
            "outside_any_region": int(pd.isna(outside["found"]).sum()),
        }
        if (~ok).sum() > MAX_OUTSIDE[name]:
            problems.append(f"{name}: {int((~ok).sum())} points lie outside their region's polygon "
                            f"(allowed {MAX_OUTSIDE[name]}): {report[name]['by_region']}")
    if problems and strict:
        raise CheckError("; ".join(problems))
    report["problems"] = problems
    return report
