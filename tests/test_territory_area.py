"""Geodesic areas against closed-form values on the WGS84 ellipsoid and geographiclib."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Polygon

from geoevents.territory.area import GEOD, geodesic_area_km2, geodesic_area_km2_scalar

A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)


def authalic_q(phi_deg: float) -> float:
    """q(φ) of the authalic-latitude formulas (Snyder 1987, eq. 3-12)."""
    s = math.sin(math.radians(phi_deg))
    return (1 - E2) * (s / (1 - E2 * s * s) - 1 / (2 * E) * math.log((1 - E * s) / (1 + E * s)))


def band_area_km2(lat0: float, lat1: float, dlon: float) -> float:
    """Exact area between two parallels and two meridians on the ellipsoid."""
    return A * A / 2 * (authalic_q(lat1) - authalic_q(lat0)) * math.radians(dlon) / 1e6


def test_lune_from_equator_to_pole_is_exactly_1_720th_of_the_ellipsoid():
    # all edges are geodesics (equator and meridians), so the geodesic area is exact
    ellipsoid_km2 = 2 * math.pi * A * A * (1 + (1 - E2) / E * math.atanh(E)) / 1e6
    assert ellipsoid_km2 == pytest.approx(510_065_621.724, rel=1e-11)
    lune = Polygon([(0, 0), (1, 0), (1, 90), (0, 90)])
    assert geodesic_area_km2_scalar(lune) == pytest.approx(ellipsoid_km2 / 720, rel=1e-10)


def test_one_degree_cell_at_the_equator_matches_the_closed_form():
    # the top edge follows the parallel closely when densified (2000 short geodesics)
    top = [(x, 1.0) for x in np.linspace(1, 0, 2001)]
    cell = Polygon([(0, 0), (1, 0), *top])
    expected = band_area_km2(0, 1, 1)
    assert expected == pytest.approx(12308.4639, abs=1e-3)
    assert geodesic_area_km2_scalar(cell) == pytest.approx(expected, rel=1e-9)


def test_square_built_with_geod_forward_matches_geographiclib():
    # a 10 km "square" walked with Geod.fwd near Kharkiv; geographiclib is an independent implementation
    lon, lat = 36.23, 49.99
    corners = [(lon, lat)]
    for azimuth in (90, 0, 270):
        lon, lat, _ = GEOD.fwd(lon, lat, azimuth, 10_000)
        corners.append((lon, lat))
    square = Polygon(corners)
    polygon = Geodesic.WGS84.Polygon()
    for x, y in corners:
        polygon.AddPoint(y, x)
    _, _, area_m2 = polygon.Compute(reverse=False, sign=False)
    assert geodesic_area_km2_scalar(square) == pytest.approx(area_m2 / 1e6, rel=1e-9)
    assert geodesic_area_km2_scalar(square) == pytest.approx(100.0, rel=2e-3)


def test_orientation_holes_and_non_areal_parts():
    outer = Polygon([(30, 50), (31, 50), (31, 51), (30, 51)])
    hole = Polygon([(30.25, 50.25), (30.75, 50.25), (30.75, 50.75), (30.25, 50.75)])
    ring = Polygon(outer.exterior.coords, [hole.exterior.coords])
    cw, ccw = shapely.orient_polygons(outer, exterior_cw=True), shapely.orient_polygons(outer)
    areas = geodesic_area_km2([cw, ccw, ring, hole])
    assert areas[0] == pytest.approx(areas[1], rel=1e-12)
    assert areas[2] == pytest.approx(areas[0] - areas[3], rel=1e-12)
    # holes oriented the "wrong" way must still be subtracted
    ring_cw = Polygon(outer.exterior.coords[::-1], [hole.exterior.coords[::-1]])
    assert geodesic_area_km2_scalar(ring_cw) == pytest.approx(areas[2], rel=1e-12)
    collection = GeometryCollection([outer, LineString([(0, 0), (10, 10)])])
    multi = MultiPolygon([outer, Polygon([(40, 50), (41, 50), (41, 51), (40, 51)])])
    got = geodesic_area_km2([collection, Polygon(), None, LineString([(0, 0), (1, 1)]), multi])
    assert got[0] == pytest.approx(areas[0], rel=1e-12)
    assert list(got[1:4]) == [0.0, 0.0, 0.0]
    assert got[4] == pytest.approx(2 * areas[0], rel=1e-12)
