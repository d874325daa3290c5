"""Attach countries and first-level regions to events by geometry.

Vectorised: one STRtree query for all points (shapely 2), no Python loop per
point. Rules that make the result deterministic and honest:

* a point inside a region, or exactly on its edge, gets region_match "within";
  a point on the shared edge of two regions gets the one whose ISO code sorts
  first, so the same input always gives the same answer;
* a point outside every region (at sea, on a coarse coastline) gets the nearest
  region if it lies within `tolerance_km` (geodesic), flagged "nearest" with the
  distance in region_distance_km; farther away the region fields stay null;
* rows without a usable geometry but with a region name or code (in
  admin1_code, admin1_name or region) get the region from the gazetteer,
  flagged "name"; so do rows whose geo_precision is "admin1" (their point is
  only the region's label point); rows with geo_precision "country" get the
  country but no region;
* polygons (area claims) are attached by a point guaranteed inside them.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geoevents.regions.boundaries import read_boundaries

GEOD = Geod(ellps="WGS84")
DEFAULT_TOLERANCE_KM = 25.0
OUTPUT_COLUMNS = ["country_code", "admin1_code", "admin1_name", "region_match", "region_distance_km"]
NAME_COLUMNS = ("admin1_code", "admin1_name", "region")


class _Layer:
    """Polygons of one level with their STRtree, sorted by code for tie-breaking."""

    def __init__(self, frame: gpd.GeoDataFrame, key: str) -> None:
        frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
        self.frame = frame
        self.geoms = np.asarray(frame.geometry.array, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def within(self, points: np.ndarray) -> np.ndarray:
        """Index of the (first) polygon covering each point, -1 where none."""
        # bbox candidates from the tree, then the exact test against the *prepared*
        # polygons (prepared on the polygon side: the tree's own predicate would
        # prepare the points, which buys nothing)
        point_idx, geom_idx = self.tree.query(points)
        hit = shapely.intersects(self.geoms[geom_idx], points[point_idx])
        point_idx, geom_idx = point_idx[hit], geom_idx[hit]
        found = np.full(len(points), -1, dtype=np.int64)
        # query returns pairs sorted by point; keep the lowest polygon index per point
        order = np.lexsort((geom_idx, point_idx))
        point_idx, geom_idx = point_idx[order], geom_idx[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        found[point_idx[first]] = geom_idx[first]
        return found

    def nearest(self, points: np.ndarray, tolerance_km: float,
                countries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest polygon within tolerance_km (geodesic) of each point, and the distance.

        Distances are measured to short pieces of the polygon outlines (built on first
        use), which keeps the per-pair work small even for huge polygons (Russia).
        `countries` (one ISO code per point) restricts each point to that country's
        polygons."""
        found = np.full(len(points), -1, dtype=np.int64)
        dist = np.full(len(points), np.nan)
        if len(points) == 0:
            return found, dist
        pieces, owner, tree = self._outline_pieces()
        lat = np.abs(shapely.get_y(points))
        # a degree bound generous enough for the longitude shrink at the point's latitude
        bound = tolerance_km / 111.0 / np.maximum(np.cos(np.radians(np.minimum(lat + 1, 89.0))), 0.01)
        point_idx, piece_idx = tree.query(points, predicate="dwithin", distance=bound)
        if len(point_idx) == 0:
            return found, dist
        ends = shapely.get_coordinates(shapely.shortest_line(points[point_idx], pieces[piece_idx])).reshape(-1, 2, 2)
        # cheap equirectangular estimate first; exact geodesic only where it may matter
        dx = (ends[:, 1, 0] - ends[:, 0, 0]) * np.cos(np.radians(ends[:, 0, 1])) * 111.32
        dy = (ends[:, 1, 1] - ends[:, 0, 1]) * 110.57
        near = np.hypot(dx, dy) <= tolerance_km * 1.05 + 1.0
        point_idx, piece_idx, ends = point_idx[near], piece_idx[near], ends[near]
        _, _, km = GEOD.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
        km = np.asarray(km) / 1000.0
        geom_idx = owner[piece_idx]
        if countries is not None:
            same = self.frame["country_code"].to_numpy()[geom_idx] == countries[point_idx]
            point_idx, geom_idx, km = point_idx[same], geom_idx[same], km[same]
        order = np.lexsort((geom_idx, km, point_idx))
        point_idx, geom_idx, km = point_idx[order], geom_idx[order], km[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        ok = first & (km <= tolerance_km)
        found[point_idx[ok]] = geom_idx[ok]
        dist[point_idx[ok]] = km[ok]
        return found, dist

    def _outline_pieces(self, size: int = 16):
        """Polygon outlines cut into linestrings of at most `size` vertices, with owners."""
        if getattr(self, "_pieces", None) is None:
            polygons, polygon_owner = shapely.get_parts(self.geoms, return_index=True)
            rings, ring_polygon = shapely.get_rings(polygons, return_index=True)
            coords, ring_of = shapely.get_coordinates(rings, return_index=True)
            counts = np.bincount(ring_of, minlength=len(rings))
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            pos = np.arange(len(coords)) - starts[ring_of]
            step = size - 1
            local = pos // step
            # a vertex that closes one piece also opens the next: duplicate it
            shared = (pos % step == 0) & (pos > 0)
            coords = np.concatenate([coords, coords[shared]])
            ring_of = np.concatenate([ring_of, ring_of[shared]])
            local = np.concatenate([local, local[shared] - 1])
            pos = np.concatenate([pos, pos[shared]])
            per_ring = (counts - 1) // step + 1
            piece_start = np.concatenate([[0], np.cumsum(per_ring)[:-1]])
            piece = piece_start[ring_of] + local
            order = np.lexsort((pos, piece))
            coords, piece, ring_of = coords[order], piece[order], ring_of[order]
            sizes = np.bincount(piece, minlength=int(piece.max()) + 1)
            keep = sizes[piece] >= 2
            coords, piece, ring_of = coords[keep], piece[keep], ring_of[keep]
            _, piece = np.unique(piece, return_inverse=True)
            lines = shapely.linestrings(coords, indices=piece)
            first = np.concatenate([[True], piece[1:] != piece[:-1]])
            owner = polygon_owner[ring_polygon[ring_of[first]]]
            self._pieces = (lines, owner, shapely.STRtree(lines))
        return self._pieces


@lru_cache(maxsize=1)
def _layers() -> tuple[_Layer, _Layer]:
    return (_Layer(read_boundaries("admin1"), "admin1_code"),
            _Layer(read_boundaries("admin0"), "country_code"))


def _points(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 points for each row (representative points for polygons) and a usable mask."""
    geoms = gdf.geometry
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs("EPSG:4326")
    values = np.asarray(geoms.values, dtype=object)
    usable = ~(shapely.is_missing(values) | shapely.is_empty(values))
    points = np.empty(len(values), dtype=object)
    if usable.any():
        kinds = shapely.get_type_id(values[usable])
        chosen = values[usable]
        not_point = kinds != 0
        if not_point.any():
            chosen = chosen.copy()
            chosen[not_point] = shapely.point_on_surface(chosen[not_point])
        points[usable] = chosen
    return points, usable


def attach_regions(gdf: gpd.GeoDataFrame, *, tolerance_km: float = DEFAULT_TOLERANCE_KM) -> gpd.GeoDataFrame:
    """A copy of `gdf` with country_code, admin1_code, admin1_name, region_match
    ("within" | "nearest" | "name" | None) and region_distance_km (0 when within,
    NaN when matched by name or not at all)."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError("attach_regions expects a GeoDataFrame")
    admin1, admin0 = _layers()
    out = gdf.copy()
    n = len(out)
    points, usable = _points(out)
    pts = points[usable]

    region = np.full(len(pts), -1, dtype=np.int64)
    country = np.full(len(pts), -1, dtype=np.int64)
    match = np.full(len(pts), None, dtype=object)
    distance = np.full(len(pts), np.nan)

    region[:] = admin1.within(pts)
    match[region >= 0] = "within"
    distance[region >= 0] = 0.0
    rest = np.flatnonzero(region < 0)
    if len(rest):  # countries without admin-1 polygons, then the sea
        country[rest] = admin0.within(pts[rest])
        match[rest[country[rest] >= 0]] = "within"
        distance[rest[country[rest] >= 0]] = 0.0
        # inside a country but in a sliver between its regions: the nearest region of
        # that same country, flagged "nearest"
        gap = rest[country[rest] >= 0]
        if len(gap):
            near, km = admin1.nearest(pts[gap], tolerance_km,
                                      countries=admin0.frame["country_code"].to_numpy()[country[gap]])
            same = near >= 0
            region[gap[same]] = near[same]
            match[gap[same]] = "nearest"
            distance[gap[same]] = km[same]
        outside = rest[country[rest] < 0]
        if len(outside):
            near, km = admin1.nearest(pts[outside], tolerance_km)
            region[outside] = near
            still = outside[near < 0]
            near0, km0 = admin0.nearest(pts[still], tolerance_km) if len(still) else (np.empty(0, int), np.empty(0))
            country[still] = near0
            km[near < 0] = km0
            hit = (region[outside] >= 0) | (country[outside] >= 0)
            match[outside[hit]] = "nearest"
            distance[outside[hit]] = km[hit]

    a1 = admin1.frame
    country_code = np.full(len(pts), None, dtype=object)
    admin1_code = np.full(len(pts), None, dtype=object)
    admin1_name = np.full(len(pts), None, dtype=object)
    has_region = region >= 0
    country_code[has_region] = a1["country_code"].to_numpy()[region[has_region]]
    admin1_code[has_region] = a1["admin1_code"].to_numpy()[region[has_region]]
    admin1_name[has_region] = a1["admin1_name"].to_numpy()[region[has_region]]
    has_country = ~has_region & (country >= 0)
    country_code[has_country] = admin0.frame["country_code"].to_numpy()[country[has_country]]

    columns = {
        "country_code": np.full(n, None, dtype=object),
        "admin1_code": np.full(n, None, dtype=object),
        "admin1_name": np.full(n, None, dtype=object),
        "region_match": np.full(n, None, dtype=object),
        "region_distance_km": np.full(n, np.nan),
    }
    columns["country_code"][usable] = country_code
    columns["admin1_code"][usable] = admin1_code
    columns["admin1_name"][usable] = admin1_name
    columns["region_match"][usable] = match
    columns["region_distance_km"][usable] = distance
    # Rows geocoded only to a region (geo_precision "admin1") keep the region they were
    # named with: the gazetteer's point for a region (e.g. Kyiv Oblast) may lie in
    # another one (Kyiv city). Rows known only to the country level get no region.
    precision = out["geo_precision"].to_numpy(dtype=object) if "geo_precision" in out.columns else np.full(n, None)
    named = (precision == "admin1") & usable
    if named.any() and "admin1_code" in out.columns:
        named &= np.array([isinstance(v, str) and bool(v.strip()) for v in out["admin1_code"]], dtype=bool)
    elif named.any():
        named[:] = False
    _regions_by_name(out, ~usable | named, columns)
    country_only = precision == "country"
    columns["admin1_code"][country_only] = None
    columns["admin1_name"][country_only] = None
    for name, values in columns.items():
        out[name] = pd.Series(values, index=out.index, dtype="float64" if name == "region_distance_km" else "object")
    return out


def _regions_by_name(frame: pd.DataFrame, rows: np.ndarray, columns: dict[str, np.ndarray]) -> None:
    """Fill rows without geometry from a region code or name they carry (gazetteer)."""
    if not rows.any():
        return
    hints = [c for c in NAME_COLUMNS if c in frame.columns]
    if not hints:
        return
    from geoevents.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    for i in np.flatnonzero(rows):
        for column in hints:
            value = frame[column].iloc[i]
            if not isinstance(value, str) or not value.strip():
                continue
            found = gazetteer.region(value)
            if found:
                columns["country_code"][i] = found.get("country_code")
                columns["admin1_code"][i] = found.get("admin1_code")
                columns["admin1_name"][i] = found.get("admin1_name")
                columns["region_match"][i] = "name"
                columns["region_distance_km"][i] = np.nan  # not a geometric match
                break
