"""Points for settlements no source places, and how far off such points are.

A settlement without a point gets the median of the known points of its
hromada, or of its raion when its hromada has none. How far off that is was
measured by leaving each known point out in turn and estimating it from the
others (`leave_one_out`); the recipe sets `uncertainty_km` to the 90th
percentile of those errors, rounded up, so that the radius holds the true place
for about nine estimated places in ten. Known points lean toward larger and
better-mapped places, so the figure is a measurement on them, stated as such in
data/gazetteer/README.md.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from geoevents.recipes.gazetteer.common import geodesic_km, quantile

LEVELS = (("hromada_code", "hromada median"), ("raion_code", "raion median"))


def _members(groups: np.ndarray, known: np.ndarray) -> dict[str, np.ndarray]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, (g, k) in enumerate(zip(groups, known)):
        if k and isinstance(g, str):
            out[g].append(i)
    return {g: np.array(v) for g, v in out.items()}


def leave_one_out(lat: np.ndarray, lon: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each known point: distance (km) to the median of the other known points of
    its group, and how many others there were (NaN / 0 where none)."""
    known = ~np.isnan(lat)
    errors = np.full(len(lat), np.nan)
    others = np.zeros(len(lat), dtype=int)
    for members in _members(groups, known).values():
        if len(members) < 2:
            continue
        la, lo = lat[members], lon[members]
        for j, i in enumerate(members):
            keep = np.arange(len(members)) != j
            errors[i] = float(geodesic_km(la[j], lo[j], np.median(la[keep]), np.median(lo[keep])))
            others[i] = len(members) - 1
    return errors, others


def radius_km(errors: np.ndarray, share: float = 90.0) -> int:
    """The whole kilometres holding `share` percent of the errors (rounded up)."""
    return int(math.ceil(quantile(errors, share)))


def estimate(table: pd.DataFrame, radii: dict[str, int]) -> pd.DataFrame:
    """Fill latitude/longitude of rows without a point; set precision, uncertainty_km, method."""
    out = table.copy()
    known = out["latitude"].notna().to_numpy()
    for level, method in LEVELS:
        medians = out[known].groupby(level)[["latitude", "longitude"]].median()
        todo = out["latitude"].isna() & out[level].isin(medians.index)
        out.loc[todo, "latitude"] = out.loc[todo, level].map(medians["latitude"])
        out.loc[todo, "longitude"] = out.loc[todo, level].map(medians["longitude"])
        out.loc[todo, "precision"] = "estimated"
        out.loc[todo, "uncertainty_km"] = radii[level]
        out.loc[todo, "method"] = method
        out.loc[todo, "source"] = "estimate"
    return out


def unit_centres(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per unit: median of its exact points (of all its points where none is exact), the
    radius (km) holding 90% of them around it, and counts."""
    rows = []
    exact = table["precision"] == "exact"
    for code, group in table.groupby(level, sort=True):
        use = group[exact.loc[group.index]]
        if use.empty:  # every point estimated: the unit is as uncertain as its estimates
            use = group
            radius = float(group["uncertainty_km"].max())
        lat, lon = float(use["latitude"].median()), float(use["longitude"].median())
        if use is not group:
            distances = geodesic_km(use["latitude"].to_numpy(), use["longitude"].to_numpy(), lat, lon)
            radius = float(np.percentile(distances, 90))
        rows.append({"code": code, "latitude": lat, "longitude": lon, "radius90_km": radius,
                     "n_settlements": len(group), "n_exact": int(exact.loc[group.index].sum())})
    return pd.DataFrame(rows)
