"""Geodesic areas in km² on the WGS84 ellipsoid.

Why a module of its own: every territory figure (diffs, timelines, claim checks)
must be measured the same way — geodesically with pyproj.Geod, never in square
degrees — and pyproj only gets polygon areas right when exteriors run
counter-clockwise and holes clockwise, which real data does not guarantee
(DeepStateMap rings run clockwise). Everything here works on shapely 2 arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import Geod

#: The one ellipsoid every area in geoevents is measured on.
GEOD = Geod(ellps="WGS84")

#: Edges longer than this (degrees, measured in longitude/latitude) are cut into pieces
#: no longer than it before measuring: RFC 7946 edges are straight in longitude/latitude
#: (a parallel stays a parallel, a polar cap's edge runs along its latitude), while
#: pyproj measures each edge as a geodesic. Up to a degree the two differ by well under
#: 0.01 % of a polygon's area (5e-5 of a polar cap north of 80°).
SEGMENT_DEGREES = 1.0

_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def as_geometry_array(geoms: Any) -> np.ndarray:
    """A 1-d object array of shapely geometries from a GeoSeries, list or single geometry."""
    if isinstance(geoms, shapely.Geometry):
        return np.array([geoms], dtype=object)
    values = getattr(geoms, "values", geoms)  # GeoSeries -> GeometryArray
    return np.asarray(values, dtype=object).reshape(-1)


def polygonal(geoms: Any) -> np.ndarray:
    """Keep only the polygonal part of each geometry (empty polygon where there is none).

    Set operations and make_valid can return GeometryCollections with stray lines
    or points; those have no area and would confuse geodesic measurement."""
    arr = as_geometry_array(geoms)
    out = arr.copy()
    types = shapely.get_type_id(arr)
    odd = ~np.isin(types, [int(t) for t in _POLYGONAL]) & ~shapely.is_missing(arr)
    for i in np.flatnonzero(odd):  # rare: only collections and non-areal leftovers
        parts = shapely.get_parts(arr[i])
        keep = parts[np.isin(shapely.get_type_id(parts), [int(t) for t in _POLYGONAL])]
        out[i] = shapely.union_all(keep) if len(keep) else shapely.Polygon()
    return out


def geodesic_area_km2(geoms: Any) -> np.ndarray:
    """Geodesic area (km², WGS84) of each geometry; 0 for empty/missing, lines and points.

    Rings are re-oriented first (shapely.orient_polygons) because pyproj's
    signed ring areas add up correctly only for CCW exteriors and CW holes;
    edges longer than a degree are cut first (see SEGMENT_DEGREES), so a
    polar cap or a long parallel gets its real area.
    The per-ring work runs in pyproj's C code; the Python loop is over
    geometries, never over vertices."""
    arr = polygonal(geoms)
    areas = np.zeros(len(arr), dtype=float)
    present = ~shapely.is_missing(arr) & ~shapely.is_empty(arr)
    shapes = arr[present]
    bounds = shapely.bounds(shapes)
    # a geometry whose bounding box has a diagonal <= SEGMENT_DEGREES has no edge to cut
    large = np.hypot(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) > SEGMENT_DEGREES
    if large.any():
        shapes = shapes.copy()
        shapes[large] = shapely.segmentize(shapes[large], SEGMENT_DEGREES)
    oriented = shapely.orient_polygons(shapes, exterior_cw=False)
    measured = [GEOD.geometry_area_perimeter(geom)[0] for geom in oriented]
    areas[present] = np.abs(np.asarray(measured, dtype=float)) / 1e6
    return areas


def geodesic_area_km2_scalar(geom: shapely.Geometry) -> float:
    """Geodesic area in km² of one geometry."""
    return float(geodesic_area_km2(geom)[0])
