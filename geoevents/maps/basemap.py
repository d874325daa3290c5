"""An offline basemap cut from the shipped boundaries: land and sea, borders, regions, labels.

Why: a map sent as one file has no tiles when it is opened offline, and a story
about crossing a border needs that border drawn. Everything here comes from
data/boundaries (Natural Earth outlines, rebuilt admin-1 regions) and the offline
gazetteer (GeoNames places), cut to a box around the map's extent and simplified
for that scale, so the page stays small. The same Basemap draws the HTML map
(as JSON) and the PNG (as shapely geometry).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely.ops import polylabel


BOX_FACTOR = 3.0  # the detailed box is this many times the extent's (screen) width
SCREEN_ASPECT = 0.75  # height / width of the box on screen, a little taller than most screens
MIN_BOX_DEG = (12.0, 7.0)  # smallest detailed box (lon, lat degrees)
MAX_BOX_DEG = (60.0, 36.0)
CONTEXT_PAD_DEG = (20.0, 12.0)  # coarse land around the detailed box, for zooming out
DETAIL = 2500  # simplification tolerance = box width / DETAIL (about a pixel at the opening zoom)
CONTEXT_TOLERANCE = 0.1
DECIMALS = 3  # ~100 m: finer than a pixel at any zoom the basemap is drawn for
CONTEXT_DECIMALS = 2
CITY_LIMIT = 70  # places offered as labels; the page shows those that fit
# a place this close to a larger one is one of its districts (GeoNames lists
# Kyiv's and Kharkiv's districts as populated places): km = factor * sqrt(population / 1e6)
DISTRICT_KM_PER_SQRT_MILLION = 16.0
MIN_CITY_POPULATION = 15_000
TOWN_LIMIT = 300  # smaller places near the extent, named when a reader zooms in
MIN_TOWN_POPULATION = 3_000


@dataclass(frozen=True)
class Label:
    """A basemap label: a country, an admin-1 region or a place (population for places)."""

    text: str
    kind: str  # "country" | "region" | "city"
    lon: float
    lat: float
    rank: float  # higher is placed first when labels compete for room
    population: int | None = None
    bounds: tuple[float, float, float, float] | None = None  # the named area (w, s, e, n)
    others: tuple[tuple[float, float], ...] = ()  # more (lon, lat) spots to try when the first is taken


@dataclass
class Basemap:
    """Geometry of the basemap inside `box` (w, s, e, n), plus a coarse ring around it."""

    box: tuple[float, float, float, float]
    tolerance: float
    focus: tuple[str, ...]
    land: list[tuple[str, str, Any]] = field(default_factory=list)  # (country code, name, polygon)
    coast: Any = None
    borders: list[tuple[str, str, Any]] = field(default_factory=list)  # (country a, country b, lines)
    admin1: Any = None  # admin-1 lines that are neither coast nor international border
    context_land: list[tuple[str, Any]] = field(default_factory=list)  # (country code, polygon)
    context_coast: Any = None
    context_borders: Any = None
    labels: list[Label] = field(default_factory=list)


def detail_box(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box the detailed basemap covers: wide enough for the opening view on a large
    screen and one zoom level out (whole degrees).

    The extent's size is measured on screen (a degree of longitude is cos(latitude)
    of a degree of latitude); screens are wider than tall."""
    west, south, east, north = extent
    cx, cy = (west + east) / 2, (south + north) / 2
    shrink = max(math.cos(math.radians(cy)), 0.2)
    span = max(east - west, (north - south) / shrink)  # degrees of longitude
    width = min(max(BOX_FACTOR * span, MIN_BOX_DEG[0]), MAX_BOX_DEG[0])
    height = min(max(width * shrink * SCREEN_ASPECT, MIN_BOX_DEG[1]), MAX_BOX_DEG[1])
    return (max(math.floor(cx - width / 2), -180), max(math.floor(cy - height / 2), -85),
            min(math.ceil(cx + width / 2), 180), min(math.ceil(cy + height / 2), 85))


def build_basemap(extent: tuple[float, float, float, float], focus: tuple[str, ...] = ()) -> Basemap:
    """The basemap around an extent (w, s, e, n); `focus` countries are drawn lighter."""
    west, south, east, north = extent
    pad_x, pad_y = max((east - west) * 0.2, 0.5), max((north - south) * 0.2, 0.3)
    view = tuple(round(v, 1) for v in (west - pad_x, south - pad_y, east + pad_x, north + pad_y))
    return _build(detail_box(extent), view, tuple(sorted(set(focus))))


@lru_cache(maxsize=8)
def _build(box: tuple[float, float, float, float], view: tuple[float, float, float, float],
           focus: tuple[str, ...]) -> Basemap:
    from geoevents.regions.boundaries import land_borders, read_boundaries

    tolerance = round((box[2] - box[0]) / DETAIL, 5)
    frame = shapely.box(*box)
    base = Basemap(box=box, tolerance=tolerance, focus=focus)

    admin0 = read_boundaries("admin0")
    near = admin0[shapely.intersects(admin0.geometry.values, frame)].sort_values("country_code")
    # simplified as one coverage, so neighbours keep sharing their edges (no slivers of sea between them)
    clipped = shapely.intersection(near.geometry.values, frame)
    simple = shapely.set_precision(shapely.coverage_simplify(clipped, tolerance), 10 ** -DECIMALS)
    for code, name, part in zip(near["country_code"], near["country_name"], simple):
        if not part.is_empty:
            base.land.append((str(code), str(name), part))
    edge = _widen(shapely.boundary(frame), tolerance)  # the cut, not a coast
    if base.land:
        land = shapely.union_all([g for _, _, g in base.land])
        base.coast = _lines(shapely.difference(shapely.boundary(land), edge), tolerance)

    borders = land_borders()
    nearby = borders[shapely.intersects(borders.geometry.values, frame)].sort_values(["a", "b"])
    for a, b, geom in zip(nearby["a"], nearby["b"], nearby.geometry.values):
        lines = _lines(shapely.intersection(geom, frame), tolerance)
        if lines is not None:
            base.borders.append((str(a), str(b), lines))

    admin1 = read_boundaries("admin1")
    admin1 = admin1[shapely.intersects(admin1.geometry.values, frame)]
    base.admin1 = _inner_lines(admin1, frame, tolerance)

    _context(base, admin0, borders, frame)
    base.labels = _country_labels(base, frame, view) + _region_labels(admin1, frame) + _city_labels(box, view)
    return base


def _inner_lines(admin1: Any, frame: Any, tolerance: float) -> Any:
    """Edges between two admin-1 regions of one country: neither coast nor international border.

    Each country's regions are simplified together (they share their edges), then the
    edges on the outline of their union are dropped: what is left runs inside the country."""
    inner = []
    for _, group in admin1.groupby("country_code", sort=True):
        regions = shapely.coverage_simplify(shapely.intersection(group.geometry.values, frame), tolerance)
        lines = shapely.union_all(shapely.boundary(regions))
        inner.append(shapely.difference(lines, shapely.boundary(shapely.union_all(regions))))
    return _lines(shapely.union_all(inner), tolerance) if inner else None


def _widen(lines: Any, distance: float) -> Any:
    """A thin band around lines (one segment per corner: only used to cut lines away)."""
    return shapely.buffer(lines, distance, quad_segs=1)


def _lines(geom: Any, tolerance: float, decimals: int = 0) -> Any:
    if geom is None or geom.is_empty:
        return None
    merged = shapely.line_merge(shapely.union_all(shapely.get_parts(_linear(geom))))
    merged = shapely.set_precision(shapely.simplify(merged, tolerance), 10 ** -(decimals or DECIMALS))
    return None if merged.is_empty else merged


def _linear(geom: Any) -> Any:
    """Only the line parts (a difference of lines can leave stray points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("LineString", "LinearRing", "MultiLineString")]
    return shapely.multilinestrings(parts) if parts else shapely.MultiLineString()


def _context(base: Basemap, admin0: Any, borders: Any, frame: Any) -> None:
    """Coarse land, coast and borders around the detailed box, so zooming out shows a world, not grey."""
    west, south, east, north = base.box
    outer = shapely.box(max(west - CONTEXT_PAD_DEG[0], -180), max(south - CONTEXT_PAD_DEG[1], -85),
                        min(east + CONTEXT_PAD_DEG[0], 180), min(north + CONTEXT_PAD_DEG[1], 85))
    ring = shapely.difference(outer, frame)
    chosen = admin0[shapely.intersects(admin0.geometry.values, outer)].sort_values("country_code")
    if not len(chosen):
        return
    # one coverage, cut along the detailed box: each country keeps its own colour across the seam
    simple = shapely.coverage_simplify(shapely.intersection(chosen.geometry.values, outer), CONTEXT_TOLERANCE)
    for code, geom in zip(chosen["country_code"], simple):
        part = shapely.set_precision(shapely.intersection(geom, ring), 10 ** -CONTEXT_DECIMALS)
        if not part.is_empty:
            base.context_land.append((str(code), part))
    land = shapely.union_all(simple)
    cut = _widen(shapely.boundary(ring), CONTEXT_TOLERANCE)
    coast = shapely.intersection(shapely.difference(shapely.boundary(land), cut), ring)
    base.context_coast = _lines(coast, CONTEXT_TOLERANCE, CONTEXT_DECIMALS)
    lines = shapely.union_all(borders.geometry.values[shapely.intersects(borders.geometry.values, outer)])
    base.context_borders = _lines(shapely.intersection(lines, ring), CONTEXT_TOLERANCE, CONTEXT_DECIMALS)


def label_point(geom: Any) -> tuple[float, float]:
    """A point well inside the largest part (pole of inaccessibility), rounded."""
    parts = shapely.get_parts(geom)
    polygons = [p for p in parts if p.geom_type == "Polygon"]
    if not polygons:
        point = geom.representative_point()
    else:
        largest = max(polygons, key=lambda p: p.area)
        point = polylabel(largest, tolerance=max(math.sqrt(largest.area) / 50, 1e-3))
    return round(point.x, 3), round(point.y, 3)


def _country_labels(base: Basemap, frame: Any, view: tuple[float, float, float, float]) -> list[Label]:
    """Country names at spots inside the part of the country the map opens on, then elsewhere."""
    labels = []
    for code, name, geom in base.land:
        area = geom.area
        if area < 0.02 * frame.area and code not in base.focus:
            continue  # a sliver of a country at the edge of the box: no room for its name
        spots = label_spots(geom, view) + [label_point(geom)]
        spots = list(dict.fromkeys(spots))
        rank = 100 + math.log10(area + 1) + (5 if code in base.focus else 0)
        labels.append(Label(name, "country", spots[0][0], spots[0][1], round(rank, 3), None, _bounds(geom),
                            tuple(spots[1:])))
    return labels


def label_spots(geom: Any, view: tuple[float, float, float, float], share: float = 0.015) -> list[tuple[float, float]]:
    """Where a large area's name can go inside a view: the pole of inaccessibility of its part
    in the whole view, then in each quarter of it (tried in that order when one is taken)."""
    west, south, east, north = view
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    boxes = [view, (west, mid_y, mid_x, north), (mid_x, mid_y, east, north), (west, south, mid_x, mid_y),
             (mid_x, south, east, mid_y)]
    spots = []
    for box in boxes:
        frame = shapely.box(*box)
        part = shapely.intersection(geom, frame)
        if part.area > share * frame.area:
            spots.append(label_point(part))
    return list(dict.fromkeys(spots))


def _region_labels(admin1: Any, frame: Any) -> list[Label]:
    labels = []
    for name, geom in zip(admin1["admin1_name"], admin1.geometry.values):
        part = shapely.intersection(geom, frame)
        if part.is_empty or not isinstance(name, str):
            continue
        lon, lat = label_point(part)
        labels.append(Label(name, "region", lon, lat, round(10 + math.log10(part.area + 1e-3), 3), None,
                            _bounds(part)))
    return sorted(labels, key=lambda label: (-label.rank, label.text))


def _bounds(geom: Any) -> tuple[float, float, float, float]:
    return tuple(round(v, 3) for v in geom.bounds)  # type: ignore[return-value]


def _city_labels(box: tuple[float, float, float, float], view: tuple[float, float, float, float]) -> list[Label]:
    """The largest places in the box, and smaller towns where the map opens (for zooming in)."""
    places = largest_places(box, CITY_LIMIT, view, TOWN_LIMIT)
    return [Label(name, "city", lon, lat, round(math.log10(pop), 3), pop) for name, lon, lat, pop in places]


def largest_places(box: tuple[float, float, float, float], limit: int,
                   view: tuple[float, float, float, float] | None = None,
                   view_limit: int = 0) -> list[tuple[str, float, float, int]]:
    """(name, lon, lat, population) of the most populous GeoNames places in the box, then
    of the next most populous in `view`, leaving out districts of larger places."""
    try:
        from geoevents.places.gazetteer import Gazetteer

        index = Gazetteer.default().index
    except (ImportError, OSError, RuntimeError) as error:
        warnings.warn(f"no city labels: the offline gazetteer is not available ({error})", stacklevel=3)
        return []
    lon, lat, pop = index.lon_array, index.lat_array, index.pop_array
    kept: list[int] = []
    for area, wanted, smallest in ((box, limit, MIN_CITY_POPULATION), (view, view_limit, MIN_TOWN_POPULATION)):
        if area is None or wanted <= 0:
            continue
        west, south, east, north = area
        inside = np.flatnonzero((index.feature_array == 0) & (lon >= west) & (lon <= east) & (lat >= south)
                                & (lat <= north) & (pop >= smallest))
        # most populous first; ties by index order so the choice never changes between runs
        inside = inside[np.lexsort((inside, -pop[inside].astype(np.int64)))]
        target = len(kept) + wanted
        for entity in inside[: wanted * 4 + len(kept)].tolist():
            if len(kept) == target:
                break
            if entity not in kept and not any(_district_of(entity, bigger, index) for bigger in kept):
                kept.append(entity)
    return [(index.names[e], round(float(lon[e]), 4), round(float(lat[e]), 4), int(pop[e])) for e in kept]


def _district_of(entity: int, bigger: int, index: Any) -> bool:
    reach = DISTRICT_KM_PER_SQRT_MILLION * math.sqrt(float(index.pop_array[bigger]) / 1e6)
    dy = (float(index.lat_array[entity]) - float(index.lat_array[bigger])) * 111.2
    dx = (float(index.lon_array[entity]) - float(index.lon_array[bigger])) * 111.2 * math.cos(
        math.radians(float(index.lat_array[bigger])))
    return math.hypot(dx, dy) < reach


def compact_geometry(geom: Any, decimals: int = DECIMALS) -> dict[str, Any] | None:
    """Lines or polygons as integer steps of 10^-decimals degree, each vertex a delta from the last.

    About half the size of GeoJSON text for the same vertices (`[35.123,51.234],` is 16
    characters, a delta pair is usually 6-8). The page decodes it in basemap.js:
    {"s": scale, "l": [line, ...]} or {"s": scale, "p": [[ring, ...], ...]}, where every
    line or ring is a flat [lon0, lat0, dlon1, dlat1, ...] list."""
    if geom is None or geom.is_empty:
        return None
    scale = 10 ** decimals

    def encode(coords: Any) -> list[int]:
        ints = np.round(np.asarray(coords)[:, :2] * scale).astype(np.int64)
        return np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()

    parts = shapely.get_parts(geom)
    if all(p.geom_type == "Polygon" for p in parts):
        return {"s": scale, "p": [[encode(p.exterior.coords)] + [encode(r.coords) for r in p.interiors]
                                  for p in parts]}
    return {"s": scale, "l": [encode(p.coords) for p in parts if p.geom_type == "LineString"]}


def basemap_json(base: Basemap) -> dict[str, Any]:
    """The basemap for the page: compact geometry and label rows (text is data, shown with textContent)."""
    return {
        "box": [base.box[1], base.box[0], base.box[3], base.box[2]],  # [[s, w], [n, e]] flattened
        "land": [{"code": code, "name": name, "focus": code in base.focus, "geometry": compact_geometry(geom)}
                 for code, name, geom in base.land],
        "coast": compact_geometry(base.coast),
        "borders": [{"between": [a, b], "geometry": compact_geometry(geom)} for a, b, geom in base.borders],
        "admin1": compact_geometry(base.admin1),
        "context": {"land": [{"code": code, "focus": code in base.focus,
                              "geometry": compact_geometry(geom, CONTEXT_DECIMALS)}
                             for code, geom in base.context_land],
                    "coast": compact_geometry(base.context_coast, CONTEXT_DECIMALS),
                    "borders": compact_geometry(base.context_borders, CONTEXT_DECIMALS)},
        "labels": [_label_json(label) for label in base.labels if label.kind != "city"],
        # places as columns: there are hundreds, and the page derives their rank from the population
        "cities": {
            "t": [label.text for label in base.labels if label.kind == "city"],
            "lat": [label.lat for label in base.labels if label.kind == "city"],
            "lon": [label.lon for label in base.labels if label.kind == "city"],
            "n": [label.population for label in base.labels if label.kind == "city"],
        },
    }


def _label_json(label: Label) -> dict[str, Any]:
    """One label row, only the keys it needs: t text, k kind, p [lat, lon], r rank, n population,
    b bounds (w, s, e, n), o other spots [[lat, lon], ...]."""
    row: dict[str, Any] = {"t": label.text, "k": label.kind, "p": [label.lat, label.lon], "r": label.rank}
    if label.population is not None:
        row["n"] = label.population
    if label.bounds is not None:
        row["b"] = list(label.bounds)
    if label.others:
        row["o"] = [[lat, lon] for lon, lat in label.others]
    return row
