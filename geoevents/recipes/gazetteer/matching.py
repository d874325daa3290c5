"""Matching source rows to codifier settlements: name index and namesake resolution.

A quarter of Ukrainian settlement names repeat inside their oblast, so a name
match alone is often ambiguous. Namesakes are settled by geography: the
candidate whose hromada (else raion) centre, computed from places matched
without ambiguity, is nearest to the source's point wins, if it is clearly
nearer (MARGIN times) than the next.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from geoevents.recipes.gazetteer.common import geodesic_km, key

MARGIN = 2.0  # the nearest unit centre must be this many times nearer than the next
MIN_KM = 5.0  # ...counting distances under this as this (a place at its own centre is no proof)


def name_index(settlements: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    """(admin1, name key) -> row positions of the codifier settlements."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (admin1, name) in enumerate(zip(settlements["admin1"], settlements["name_uk"])):
        index[(admin1, key(name))].append(i)
    return dict(index)


def unit_centres(settlements: pd.DataFrame, rows, lats, lons, level: str) -> dict[str, tuple[float, float]]:
    """Median point per unit (hromada_code or raion_code) of the given matched rows."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    units = settlements[level].to_numpy()
    for row, lat, lon in zip(rows, lats, lons):
        unit = units[int(row)]
        if isinstance(unit, str):
            points[unit].append((lat, lon))
    return {u: tuple(np.median(np.array(p), axis=0)) for u, p in points.items()}


def settle_namesakes(candidates: list[int], lat: float, lon: float, settlements: pd.DataFrame,
                     hromada_centres: dict, raion_centres: dict) -> int | None:
    """The candidate row whose unit centre is clearly nearest to (lat, lon), else None."""
    hromadas = settlements["hromada_code"].to_numpy()
    raions = settlements["raion_code"].to_numpy()
    distances = []
    for row in candidates:
        centre = hromada_centres.get(hromadas[row]) or raion_centres.get(raions[row])
        distances.append(float(geodesic_km(lat, lon, centre[0], centre[1])) if centre else np.inf)
    order = np.argsort(distances, kind="stable")
    if not candidates or not np.isfinite(distances[order[0]]):
        return None
    if len(candidates) == 1 or distances[order[1]] >= MARGIN * max(distances[order[0]], MIN_KM):
        return candidates[order[0]]
    return None
