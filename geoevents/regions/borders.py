"""Distance from a point to the nearest international land border.

The borders are the edges neighbouring admin-0 polygons share (the
land_borders layer of data/boundaries/boundaries.gpkg), so they agree exactly
with the country polygons `attach_regions` uses. Only borders of the country the point lies in
count: "how far is Sudzha from the border" means the border of Russia, and the
answer names the country across it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from geoevents.regions.boundaries import land_borders

GEOD = Geod(ellps="WGS84")


class BorderError(ValueError):
    """The point is not in (or near) any country, or its coordinates are invalid."""


def _country_at(lat: float, lon: float, tolerance_km: float) -> str:
    import geopandas as gpd

    from geoevents.regions.attach import attach_regions

    frame = gpd.GeoDataFrame(geometry=[shapely.points(lon, lat)], crs="EPSG:4326")
    code = attach_regions(frame, tolerance_km=tolerance_km)["country_code"].iloc[0]
    if not isinstance(code, str):
        raise BorderError(f"the point {lat:.5f},{lon:.5f} is not within {tolerance_km:g} km of any country")
    return code


def border_distance(lat: float, lon: float, *, country: str | None = None,
                    tolerance_km: float = 25.0) -> dict[str, Any]:
    """Geodesic km from (lat, lon) to the nearest land border of its country.

    Returns {"border_distance_km": float | None, "border_country": str | None,
    "country_code": str, "border_point": (lat, lon) | None}; the distance is None for
    countries without land borders (islands). `country` skips the lookup of the
    country the point is in."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or math.isnan(lat) or math.isnan(lon):
        raise BorderError(f"latitude/longitude out of range: {lat}, {lon}")
    code = country.upper() if country else _country_at(lat, lon, tolerance_km)
    borders = land_borders()
    mine = borders[(borders["a"] == code) | (borders["b"] == code)]
    result: dict[str, Any] = {"border_distance_km": None, "border_country": None,
                              "country_code": code, "border_point": None}
    if mine.empty:
        return result
    # nearest point found in a local equidistant-ish frame (longitude scaled by
    # cos(latitude)), then measured geodesically
    scale = max(math.cos(math.radians(lat)), 0.01)
    lines = shapely.transform(np.asarray(mine.geometry.array, dtype=object), lambda xy: xy * [scale, 1.0])
    point = shapely.points(lon * scale, lat)
    ends = shapely.get_coordinates(shapely.shortest_line(point, lines)).reshape(-1, 2, 2)
    ends[:, 1, 0] /= scale
    _, _, metres = GEOD.inv(np.full(len(ends), lon), np.full(len(ends), lat), ends[:, 1, 0], ends[:, 1, 1])
    best = int(np.argmin(metres))
    row = mine.iloc[best]
    result["border_distance_km"] = float(metres[best]) / 1000.0
    result["border_country"] = row["b"] if row["a"] == code else row["a"]
    result["border_point"] = (float(ends[best, 1, 1]), float(ends[best, 1, 0]))
    return result

