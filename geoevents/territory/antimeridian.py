"""One representation for polygons that cross ±180° or surround a pole (RFC 7946 §3.1.9).

Why: the same ground can be stored whole (longitudes running 179 -> 181, or
jumping 179 -> -179) or split into two parts that meet at ±180. Set operations
run in longitude/latitude, where those are different shapes: a diff of the
whole against the split form reported thousands of km² gained and lost. Every
geometry that reaches past ±180, or spans more than 180° of longitude, is
therefore rewritten into the split form RFC 7946 asks for, and a ring that
goes once around a pole is closed through that pole, so it encloses the cap
(with its real area) instead of nothing. Ordinary layers (DeepStateMap) are
left untouched after one vectorised bounds test.

Conventions: an edge whose longitude changes by more than 180° crosses the
antimeridian the short way, except an edge from ±180 to ∓180 (RFC 7946 uses
those to run along the map edge, e.g. around a polar cap); a ring around a
pole encloses the cap on the side of the pole nearer to the ring.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geoevents.territory.area import as_geometry_array, polygonal

#: coordinates of rewritten geometries are snapped to this grid (about 0.1 mm), so the
#: split and the whole forms of one area end up with identical vertices at ±180
GRID = 1e-9


class WindingError(ValueError):
    """A ring winds around a pole more than once: no area can be meant by it."""


def needs_normalising(geoms: Any) -> np.ndarray:
    """Which geometries reach past ±180 or span more than 180° of longitude."""
    bounds = shapely.bounds(as_geometry_array(geoms))
    with np.errstate(invalid="ignore"):
        return (bounds[:, 0] < -180) | (bounds[:, 2] > 180) | (bounds[:, 2] - bounds[:, 0] > 180)


def normalize_antimeridian(geoms: Any) -> np.ndarray:
    """The geometries with every antimeridian- or pole-crossing one in RFC 7946 split form."""
    arr = as_geometry_array(geoms)
    todo = np.flatnonzero(needs_normalising(arr))
    if not len(todo):
        return arr
    out = arr.copy()
    for i in todo:
        out[i] = normalize_one(arr[i])
    return out


def normalize_one(geom: shapely.Geometry) -> shapely.Geometry:
    """One (Multi)Polygon in split form: all longitudes within ±180, parts meeting at the seam."""
    regions = []
    for polygon in shapely.get_parts(polygonal(geom)[0]):
        if polygon.is_empty:
            continue
        outer = _ring_region(np.asarray(polygon.exterior.coords))
        holes = [_ring_region(np.asarray(ring.coords)) for ring in polygon.interiors]
        regions.append(shapely.difference(outer, shapely.union_all(holes)) if holes else outer)
    whole = shapely.union_all(regions) if regions else shapely.Polygon()
    pieces = []
    for turn in range(-2, 3):  # unwrapped longitudes stay within ±720
        window = shapely.box(-180 + 360 * turn, -90, 180 + 360 * turn, 90)
        piece = shapely.intersection(whole, window)
        if not piece.is_empty:
            pieces.append(shapely.transform(piece, lambda xy, t=turn: xy - [360.0 * t, 0.0]))
    result = shapely.set_precision(shapely.union_all(pieces), GRID) if pieces else shapely.Polygon()
    return polygonal(result)[0]


def _ring_region(coords: np.ndarray) -> shapely.Geometry:
    """The planar area one ring encloses once its antimeridian jumps are unwrapped."""
    x, y = coords[:, 0], coords[:, 1]
    dx = np.diff(x)
    seam = (np.abs(x[:-1]) == 180) & (np.abs(x[1:]) == 180)
    region = _unwrapped(x, y, dx, jumps=(np.abs(dx) > 180) & ~seam)
    if shapely.area(region) == 0 and seam.any():
        # a parallel running -180 -> ... -> 180 and back along the seam: around a pole
        region = _unwrapped(x, y, dx, jumps=np.abs(dx) > 180)
    return region


def _unwrapped(x: np.ndarray, y: np.ndarray, dx: np.ndarray, jumps: np.ndarray) -> shapely.Geometry:
    steps = np.where(jumps, dx - 360.0 * np.sign(dx), dx)
    ux = x[0] + np.concatenate([[0.0], np.cumsum(steps)])
    turns = int(round((ux[-1] - ux[0]) / 360.0))
    if turns == 0:
        ring = np.column_stack([ux, y])
    elif abs(turns) == 1:
        pole = 90.0 if y.mean() >= 0 else -90.0
        ring = np.vstack([np.column_stack([ux, y]), [[ux[-1], pole], [ux[0], pole], [ux[0], y[0]]]])
    else:
        raise WindingError(f"a ring winds {abs(turns)} times around a pole")
    polygon = shapely.Polygon(ring)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon, method="structure", keep_collapsed=False)
    return polygonal(polygon)[0]
