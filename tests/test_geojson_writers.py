"""Every GeoJSON the package writes passes the same RFC 7946 check (tests/geojson_checks.py):
`export`, `diff -o`, `geocode --format geojson` and write_events. Coordinates are checked
against known places, so a lon/lat swap cannot pass."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main
from geojson_checks import AREA_AGAINST_THE_RULE, assert_rfc7946

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "kursk-2025-02-07.yaml"
SUDZHA = (35.27, 51.19)  # lon, lat
KYIV = (30.52, 50.45)


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def near(point: list[float], lon_lat: tuple[float, float], tolerance: float = 0.05) -> bool:
    return abs(point[0] - lon_lat[0]) < tolerance and abs(point[1] - lon_lat[1]) < tolerance


def test_export_geojson(tmp_path: Path) -> None:
    """The seed's points plus an area drawn clockwise with an anticlockwise hole."""
    source = tmp_path / "events.yaml"
    source.write_text(SEED.read_text(encoding="utf-8") + AREA_AGAINST_THE_RULE, encoding="utf-8")
    out = tmp_path / "kursk.geojson"
    result = run("export", source, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(data)
    assert len(data["features"]) == 25
    area = next(f for f in data["features"] if f["id"] == "test-area-with-hole")
    exterior, hole = area["geometry"]["coordinates"]
    assert shapely.Polygon(exterior).equals(shapely.box(35.1, 51.1, 35.4, 51.3))
    assert shapely.Polygon(hole).equals(shapely.box(35.2, 51.15, 35.3, 51.2))
    (kyiv,) = [f for f in data["features"] if f["properties"]["place"] == "Kyiv"]
    assert near(kyiv["geometry"]["coordinates"], KYIV)


def test_diff_geojson_with_a_hole_and_a_clockwise_input(tmp_path: Path) -> None:
    """The earlier layer is drawn clockwise, and what was gained around it is a polygon
    with a hole: the writer must turn both rings the RFC 7946 way."""
    inner = shapely.Polygon([(30.4, 50.4), (30.4, 50.6), (30.6, 50.6), (30.6, 50.4)])
    assert not inner.exterior.is_ccw
    gpd.GeoDataFrame(geometry=[inner], crs=4326).to_file(tmp_path / "front_20240101.geojson")
    gpd.GeoDataFrame(geometry=[shapely.box(30, 50, 31, 51)], crs=4326).to_file(tmp_path / "front_20240102.geojson")
    out = tmp_path / "changes.geojson"
    result = run("diff", tmp_path / "front_20240101.geojson", tmp_path / "front_20240102.geojson", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(data)
    (feature,) = data["features"]
    assert feature["properties"]["change"] == "gained"
    exterior, hole = feature["geometry"]["coordinates"]
    assert shapely.Polygon(exterior).equals(shapely.box(30, 50, 31, 51))  # lon first: x spans 30..31
    assert shapely.Polygon(hole).equals(inner)
    assert {"date_from": "2024-01-01", "date_to": "2024-01-02"}.items() <= feature["properties"].items()


def test_diff_geojson_by_region(tmp_path: Path) -> None:
    data_dir = Path(__file__).parent / "data" / "territory"
    out = tmp_path / "by-region.geojson"
    result = run("diff", data_dir / "control_dated.geojson", "--from", "2024-01-01", "--to", "2024-01-03",
                 "--by", "admin1", "--boundaries", data_dir / "regions_admin1.geojson", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(data)
    assert {f["properties"]["admin1_code"] for f in data["features"]} >= {"ZZ-B"}


def test_geocode_geojson() -> None:
    result = run("geocode", "Sudzha", "Kharkiv Oblast", "Qwxzvbnmplk", "--format", "geojson")
    assert result.exit_code == 3  # one name does not resolve
    data = json.loads(result.stdout)
    assert_rfc7946(data)
    sudzha, oblast, unknown = data["features"]
    assert near(sudzha["geometry"]["coordinates"], SUDZHA)
    assert oblast["properties"]["feature"] == "admin1" and oblast["geometry"]["type"] == "Point"
    assert unknown["geometry"] is None and unknown["properties"]["error"]


def test_write_events_geojson(tmp_path: Path) -> None:
    from geoevents.events.read import read_events
    from geoevents.io.write import write_events

    path = write_events(read_events(SEED), tmp_path / "events.geojson")
    assert_rfc7946(json.loads(path.read_text(encoding="utf-8")))


# ---- the check itself can fail ---------------------------------------------------------

GOOD = {"type": "FeatureCollection", "bbox": [30.0, 50.0, 31.0, 51.0], "features": [
    {"type": "Feature", "id": "a", "properties": {"name": "box"},
     "geometry": {"type": "Polygon", "coordinates": [
         [[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]],
         [[30.2, 50.2], [30.2, 50.4], [30.4, 50.4], [30.4, 50.2], [30.2, 50.2]]]}},
]}


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_the_check_accepts_a_correct_collection() -> None:
    assert_rfc7946(GOOD)


@pytest.mark.parametrize("data", [
    broken(lambda d: d.update(crs={"type": "name", "properties": {"name": "EPSG:4326"}})),
    broken(lambda d: d["features"][0]["geometry"]["coordinates"][0].reverse()),  # clockwise exterior
    broken(lambda d: d["features"][0]["geometry"]["coordinates"][1].reverse()),  # anticlockwise hole
    broken(lambda d: d.update(bbox=[50.0, 30.0, 51.0, 31.0])),  # lat/lon order in bbox
    broken(lambda d: d["features"][0].update(bbox=[30.0, 50.0, 31.0, 52.0])),
    broken(lambda d: d["features"][0]["geometry"]["coordinates"][0][1].__setitem__(0, 31.123456789)),
    broken(lambda d: d["features"][0]["geometry"].update(
        coordinates=[[[p[1], p[0]] for p in ring] for ring in d["features"][0]["geometry"]["coordinates"]])),
    broken(lambda d: d["features"][0].update(type="Point")),
    broken(lambda d: d["features"][0]["geometry"]["coordinates"][0].__setitem__(0, [200.0, 50.0])),
], ids=["crs", "cw-exterior", "ccw-hole", "bbox-latlon", "feature-bbox", "precision", "swapped", "not-feature",
        "lon-range"])
def test_the_check_refuses(data: dict) -> None:
    with pytest.raises(AssertionError):
        assert_rfc7946(data)
