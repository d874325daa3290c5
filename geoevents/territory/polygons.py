"""Control polygons from GeoJSON geometry objects, checked before anyone measures them.

Why: a control area is only worth measuring if its coordinates are real
longitudes and latitudes. shapely builds a polygon from almost anything —
a NaN vertex, longitude 500, an unclosed ring, a bare Point — and later steps
then "repair" it into an empty polygon or measure it as 0 km². Everything here
refuses such input with the place it was found (`geometry.coordinates[0][3]`,
`polygon 2 ring 1 position 13`), so the reader can name file, feature and line.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geoevents.territory.errors import short

#: positions one control file may hold in all (a DeepStateMap snapshot has about 3,000)
MAX_POSITIONS = 5_000_000

_POLYGONAL = {"Polygon", "MultiPolygon"}
_OTHER_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString"}


class GeometryProblem(ValueError):
    """A geometry cannot be a control area; `field` says where inside the feature."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TooManyPositions(GeometryProblem):
    """The file is over MAX_POSITIONS: reading stops at once."""


class PositionBudget:
    """Counts positions across one file so a huge layer fails early with a clear message."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_POSITIONS if limit is None else limit
        self.used = 0
        self.bools_possible = True

    def take(self, count: int, field: str) -> None:
        self.used += count
        if self.used > self.limit:
            raise TooManyPositions(field, f"the file holds more than {self.limit:,} positions; "
                                         "simplify the layer (e.g. ogr2ogr -simplify) before reading it")


def from_geojson(obj: Any, budget: PositionBudget, field: str = "geometry") -> shapely.Geometry:
    """A shapely (Multi)Polygon from a GeoJSON geometry object; GeometryProblem when it is not one.

    Set `budget.bools_possible` when the feature's text holds `true`/`false`:
    numpy would silently read those as 1 and 0, so positions are then checked
    one by one (skipped otherwise, as it costs a Python loop over every vertex)."""
    if obj is None:
        raise GeometryProblem(field, "no geometry (null); a control feature needs a Polygon or "
                                     "MultiPolygon (leave the feature out if it holds no ground)")
    if not isinstance(obj, dict):
        raise GeometryProblem(field, f"must be a GeoJSON geometry object, not {short(obj)}")
    kind = obj.get("type")
    if kind == "GeometryCollection":
        members = obj.get("geometries")
        if not isinstance(members, list) or not members:
            raise GeometryProblem(f"{field}.geometries", "a GeometryCollection needs a non-empty "
                                                         "`geometries` list")
        parts = [from_geojson(member, budget, f"{field}.geometries[{i}]") for i, member in enumerate(members)]
        return shapely.multipolygons(list(_polygons_of(parts)))
    if kind in _OTHER_GEOMETRIES:
        raise GeometryProblem(f"{field}.type", f"a control area must be a Polygon or MultiPolygon, not a {kind}")
    if kind not in _POLYGONAL:
        raise GeometryProblem(f"{field}.type", f"unknown geometry type {short(kind)}; use Polygon or MultiPolygon")
    coords = obj.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryProblem(f"{field}.coordinates", f"a {kind} needs a non-empty `coordinates` array")
    if kind == "Polygon":
        return _polygon(coords, budget, f"{field}.coordinates")
    polygons = []
    for i, polygon in enumerate(coords):
        if not isinstance(polygon, list) or not polygon:
            raise GeometryProblem(f"{field}.coordinates[{i}]", "each polygon of a MultiPolygon must be "
                                                               "a non-empty array of rings")
        polygons.append(_polygon(polygon, budget, f"{field}.coordinates[{i}]"))
    return shapely.multipolygons(polygons)


def _polygons_of(parts: list[shapely.Geometry]):
    for part in parts:
        yield from shapely.get_parts(part)


def _polygon(rings: list[Any], budget: PositionBudget, field: str) -> shapely.Geometry:
    arrays = [_ring(ring, budget, f"{field}[{i}]") for i, ring in enumerate(rings)]
    return shapely.Polygon(arrays[0], arrays[1:])


def _ring(ring: Any, budget: PositionBudget, field: str) -> np.ndarray:
    """An (n, 2) float array of a closed ring of at least 4 numeric positions."""
    if not isinstance(ring, list) or not ring:
        raise GeometryProblem(field, "a ring must be a non-empty array of [longitude, latitude] positions")
    budget.take(len(ring), field)
    try:
        arr = np.asarray(ring)  # no dtype: numpy would read "31" as a number
    except (ValueError, TypeError, OverflowError):
        arr = None
    if (arr is None or arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[1] not in (2, 3)
            or budget.bools_possible):
        _check_positions(ring, field)
    if arr is None or arr.ndim != 2:  # positions mixing 2 and 3 values: keep x, y of each
        arr = np.asarray([position[:2] for position in ring], dtype=np.float64)
    arr = arr.astype(np.float64)
    if len(arr) < 4:
        raise GeometryProblem(field, f"a ring needs at least 4 positions (the first repeated last), "
                                     f"this one has {len(arr)}")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise GeometryProblem(f"{field}[{i}]", f"{short(ring[i])} is not a finite longitude/latitude")
    if not np.array_equal(arr[0, :2], arr[-1, :2]):
        raise GeometryProblem(field, "the ring is not closed: its last position must repeat the first")
    return arr[:, :2]


def _check_positions(ring: list[Any], field: str) -> None:
    """Name the first position that is not [longitude, latitude(, height)] numbers."""
    for i, position in enumerate(ring):
        ok = (isinstance(position, list) and len(position) in (2, 3)
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in position))
        if not ok:
            raise GeometryProblem(f"{field}[{i}]", f"{short(position)} is not a position "
                                                   "[longitude, latitude]")


def polygonal_parts(geom: Any, field: str = "geometry") -> shapely.Geometry:
    """A geometry read by GDAL as a 2-D (Multi)Polygon; GeometryProblem for anything else."""
    if geom is None or shapely.is_missing(geom):
        raise GeometryProblem(field, "no geometry (null); a control feature needs a Polygon or MultiPolygon")
    geom = shapely.force_2d(geom)
    parts = shapely.get_parts(geom)
    kinds = {part.geom_type for part in parts}
    if geom.is_empty or not parts.size:
        raise GeometryProblem(field, "empty geometry; a control feature needs a Polygon or MultiPolygon")
    if not kinds <= {"Polygon", "MultiPolygon"}:
        other = sorted(kinds - {"Polygon", "MultiPolygon"})[0]
        raise GeometryProblem(field, f"a control area must be a Polygon or MultiPolygon, not a {other}")
    return geom


def check_coordinates(geom: shapely.Geometry, field: str = "geometry") -> None:
    """Finite WGS84 coordinates: latitude within ±90, longitude within ±180.

    Longitudes past ±180 are accepted only as a ring's continuation across the
    antimeridian (179.5 -> 180.5, as some tools write a polygon that crosses it):
    the ring must also have positions inside ±180, span at most 360° and stay
    within ±360. Longitude 500 is refused."""
    parts = shapely.get_parts(geom)
    rings, polygon_of = shapely.get_rings(parts, return_index=True)
    if not len(rings):
        return
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    counts = shapely.get_num_coordinates(rings)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    first_ring = np.searchsorted(polygon_of, polygon_of)  # index of each polygon's exterior ring

    def at(i: int) -> str:
        r = ring_of[i]
        return f"polygon {polygon_of[r] + 1}, ring {r - first_ring[r] + 1}, position {i - starts[r] + 1}"

    x, y = xy[:, 0], xy[:, 1]
    checks = (
        (~np.isfinite(xy).all(axis=1), "coordinates are not finite numbers"),
        (np.abs(y) > 90, "latitude {y:g} is outside -90..90"),
        (np.abs(x) > 360, "longitude {x:g} is outside -180..180"),
    )
    for mask, text in checks:
        if mask.any():
            i = int(np.argmax(mask))
            raise GeometryProblem(field, f"{at(i)}: " + text.format(x=x[i], y=y[i]))
    beyond = np.abs(x) > 180
    if not beyond.any():
        return
    inside = np.add.reduceat((~beyond).astype(np.int64), starts) > 0
    span = np.maximum.reduceat(x, starts) - np.minimum.reduceat(x, starts)
    for r in np.flatnonzero(np.add.reduceat(beyond.astype(np.int64), starts) > 0):
        if not inside[r] or span[r] > 360:
            i = int(starts[r] + np.argmax(beyond[starts[r]:starts[r] + counts[r]]))
            raise GeometryProblem(field, f"{at(i)}: longitude {x[i]:g} is outside -180..180 (past "
                                         "±180 only as a ring continuing across the antimeridian)")
