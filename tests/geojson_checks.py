"""An RFC 7946 check for every GeoJSON the package writes: the independent
geojson-validator package, plus the rules it does not check (no `crs` anywhere, lon/lat
ranges, correct `bbox` members, at most 7 decimals, Feature and FeatureCollection shape)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

DECIMALS = 7  # about 1 cm; RFC 7946 §11.2 asks for no more precision than needed

# An event-file event (YAML, to append under `events:`) whose area is drawn against the
# right-hand rule: a clockwise exterior and an anticlockwise hole, for the writer to turn.
AREA_AGAINST_THE_RULE = """
  - id: test-area-with-hole
    date: 2024-08-20
    place: Sudzha
    claimant: Test claimant
    kind: control
    status: claimed
    figure: 12.5
    figure_unit: km2
    approximate: false
    geometry:
      type: Polygon
      coordinates:
        - [[35.1, 51.1], [35.1, 51.3], [35.4, 51.3], [35.4, 51.1], [35.1, 51.1]]
        - [[35.2, 51.15], [35.3, 51.15], [35.3, 51.2], [35.2, 51.2], [35.2, 51.15]]
"""


def positions(geometry: dict[str, Any]) -> Iterator[list[float]]:
    if geometry["type"] == "GeometryCollection":
        for part in geometry["geometries"]:
            yield from positions(part)
        return
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
             "MultiPolygon": 3}[geometry["type"]]

    def walk(value: Any, level: int) -> Iterator[list[float]]:
        if level == 0:
            yield value
        else:
            for item in value:
                yield from walk(item, level - 1)

    yield from walk(geometry["coordinates"], depth)


def rings(geometry: dict[str, Any]) -> Iterator[tuple[list, bool]]:
    """(ring, is_exterior) of every polygon in the geometry."""
    polygons = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry.get("coordinates")}.get(
        geometry["type"], [])
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            yield ring, index == 0
    for part in geometry.get("geometries", []):
        yield from rings(part)


def _check_bbox(owner: dict[str, Any], points: list[list[float]], where: str) -> None:
    if "bbox" not in owner:
        return
    assert points, f"{where}: bbox on an empty object"
    expected = [min(p[0] for p in points), min(p[1] for p in points),
                max(p[0] for p in points), max(p[1] for p in points)]
    assert owner["bbox"] == expected, f"{where}: bbox {owner['bbox']} != {expected}"


def assert_rfc7946(data: dict[str, Any]) -> None:
    """Fail with a located message where `data` (a parsed GeoJSON text) breaks RFC 7946."""
    import geojson_validator
    import shapely
    from geojson_validator.checks_problematic import check_excessive_coordinate_precision

    assert geojson_validator.validate_structure(data, check_crs=True) == {}
    report = geojson_validator.validate_geometries(data)
    assert report["invalid"] == {}, report["invalid"]  # closed rings, right-hand rule
    assert set(report["problematic"]) <= {"holes", "excessive_coordinate_precision"}, report["problematic"]
    assert data["type"] == "FeatureCollection" and isinstance(data["features"], list)
    assert "crs" not in data
    everything: list[list[float]] = []
    for index, feature in enumerate(data["features"]):
        where = f"features[{index}]"
        assert feature["type"] == "Feature" and "crs" not in feature, where
        assert "properties" in feature and (feature["properties"] is None or isinstance(feature["properties"], dict))
        assert "id" not in feature or isinstance(feature["id"], (str, int, float)), where
        geometry = feature["geometry"]
        if geometry is None:
            assert "bbox" not in feature, where
            continue
        assert "crs" not in geometry, where
        points = list(positions(geometry))
        for point in points:
            assert len(point) in (2, 3), (where, point)
            assert -180 <= point[0] <= 180 and -90 <= point[1] <= 90, (where, "lon/lat out of range", point)
        assert not check_excessive_coordinate_precision(geometry, precision=DECIMALS), where
        for ring, exterior in rings(geometry):
            assert ring[0] == ring[-1] and len(ring) >= 4, where
            assert shapely.LinearRing(ring).is_ccw == exterior, (where, "right-hand rule")
        _check_bbox(feature, points, where)
        _check_bbox(geometry, points, f"{where}.geometry")
        everything.extend(points)
    _check_bbox(data, everything, "FeatureCollection")
