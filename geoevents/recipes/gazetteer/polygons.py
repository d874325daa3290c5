"""Which shipped admin-1 polygon holds a point (the recipe's own checks use it)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

# Kyiv city lies inside Kyiv oblast's outline: a point of one in the other is not an error.
SAME_AREA = {frozenset({"UA-30", "UA-32"}), frozenset({"UA-40", "UA-43"})}


@lru_cache(maxsize=1)
def _layer():
    import shapely

    from geoevents.regions.boundaries import read_boundaries

    frame = read_boundaries("admin1", countries=["UA", "RU"])
    geoms = np.asarray(frame.geometry.array, dtype=object)
    return shapely.STRtree(geoms), frame["admin1_code"].to_numpy()


def admin1_at(lats, lons) -> np.ndarray:
    """ISO 3166-2 code of the shipped admin-1 polygon containing each point (None outside)."""
    import shapely

    tree, codes = _layer()
    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    out = np.full(len(lats), None, dtype=object)
    ok = ~(np.isnan(lats) | np.isnan(lons))
    points = shapely.points(lons[ok], lats[ok])
    inside, which = tree.query(points, predicate="within")
    index = np.flatnonzero(ok)
    out[index[inside]] = codes[which]
    return out


def in_own_region(expected, found) -> np.ndarray:
    """True where the polygon found is the expected region (or shares its area, see SAME_AREA)."""
    return np.array([e == f or frozenset({e, f}) in SAME_AREA for e, f in zip(expected, found)], dtype=bool)
