"""Export and import: YAML -> GeoJSON -> GeoPackage -> CSV keeps every field; the GeoJSON
passes an independent RFC 7946 validator; writes are atomic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from geoevents.events.model import COLUMNS
from geojson_checks import AREA_AGAINST_THE_RULE
from geoevents.events.read import read_events
from geoevents.io.atomic import OutputError
from geoevents.io.write import write_events

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "kursk-2025-02-07.yaml"


@pytest.fixture(scope="module")
def gazetteer():
    from geoevents.places.gazetteer import Gazetteer
    return Gazetteer.default()


@pytest.fixture(scope="module")
def events(gazetteer, tmp_path_factory):
    """The seed plus an area claim whose polygon is clockwise and has a (counter-
    clockwise) hole, so the writer must re-orient both rings."""
    folder = tmp_path_factory.mktemp("events")
    text = SEED.read_text(encoding="utf-8")
    area = AREA_AGAINST_THE_RULE + """
  - id: test-exact-point
    date: 2024-08-15
    place: Sudzha
    latitude: 51.1912345678
    longitude: 35.2712345678
    claimant: "Test <b>claimant</b>, with \\"quotes\\" and ünïcödé"
    kind: attack
    status: reported
"""
    path = folder / "events.yaml"
    path.write_text(text + area, encoding="utf-8")
    return read_events(path, geocoder=gazetteer)


def assert_same_events(actual, expected):
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(actual.drop(columns="geometry")),
                                  pd.DataFrame(expected.drop(columns="geometry")))
    assert actual.geometry.geom_equals_exact(expected.geometry, tolerance=1e-7).all()


def test_round_trip_yaml_geojson_gpkg_csv(events, gazetteer, tmp_path):
    gj, gpkg, csv = tmp_path / "e.geojson", tmp_path / "e.gpkg", tmp_path / "e.csv"
    write_events(events, gj)
    from_gj = read_events(gj, geocoder=gazetteer)
    assert_same_events(from_gj, events)
    write_events(from_gj, gpkg)
    from_gpkg = read_events(gpkg, geocoder=gazetteer)
    assert_same_events(from_gpkg, events)
    write_events(from_gpkg, csv)
    from_csv = read_events(csv, geocoder=gazetteer)
    assert_same_events(from_csv, events)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_gdal_reads_back_same_features_types_values(events, tmp_path, suffix):
    path = write_events(events, tmp_path / f"events{suffix}")
    kwargs = {"X_POSSIBLE_NAMES": "longitude", "Y_POSSIBLE_NAMES": "latitude"} \
        if suffix == ".csv" else {}
    back = pyogrio.read_dataframe(path, **kwargs)
    assert len(back) == len(events)
    assert back["id"].tolist() == events["id"].tolist()
    info = pyogrio.read_info(path, **kwargs)
    types = dict(zip(info["fields"], info["dtypes"]))
    if suffix != ".csv":  # CSV carries no types: only the values are compared
        assert types["figure"] == "float64" and types["latitude"] == "float64"
        assert types["place_id"] in ("int32", "int64")
        assert types["approximate"] == "bool"
    for name, kind in COLUMNS.items():
        for got, want in zip(back[name].tolist(), events[name].tolist()):
            if want is None or (isinstance(want, float) and math.isnan(want)) or want is pd.NA:
                assert got is None or (isinstance(got, float) and math.isnan(got)) or got == "", name
            elif kind == "float":
                assert abs(float(got) - want) < 1e-7, name
            elif kind == "int":
                assert int(float(got)) == int(want), name
            elif kind == "bool":
                assert str(got).lower() in (str(want).lower(), str(int(want))), name
            else:
                text = got.strftime("%Y-%m-%d") if hasattr(got, "strftime") else str(got)
                assert text == want, name
    if suffix == ".csv":  # non-point geometries travel as WKT, points as latitude/longitude
        raw = pd.read_csv(path, dtype=str)
        area = raw[raw["id"] == "test-area-with-hole"].iloc[0]
        assert area["wkt"].startswith("POLYGON ((")
        assert raw[raw["id"] == "kursk-incursion-start"]["wkt"].isna().all()
    else:
        expected = events.geometry.set_axis(back.index)
        assert back.geometry.geom_equals_exact(expected, 1e-7).all()


def test_geojson_follows_rfc7946(events, tmp_path):
    import geojson_validator

    from geojson_checks import assert_rfc7946

    path = write_events(events, tmp_path / "events.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    # independent checks (geojson-validator and the explicit rules of tests/geojson_checks.py):
    # no crs, right-hand winding, at most 7 decimals (about 1 cm), lon/lat ranges, bbox
    assert_rfc7946(data)
    # the validator's "problematic" list flags only the real hole
    assert geojson_validator.validate_geometries(data)["problematic"]["holes"] == [len(events) - 2]
    ids = [f["id"] for f in data["features"]]
    assert len(set(ids)) == len(ids) == len(events)
    for feature in data["features"]:
        assert all(not isinstance(v, (dict, list)) for v in feature["properties"].values())
    polygon = next(f for f in data["features"] if f["id"] == "test-area-with-hole")
    exterior, hole = polygon["geometry"]["coordinates"]
    assert shapely.LinearRing(exterior).is_ccw and not shapely.LinearRing(hole).is_ccw
    point = next(f for f in data["features"] if f["id"] == "test-exact-point")
    assert point["geometry"]["coordinates"] == [35.2712346, 51.1912346]  # lon, lat; 7 dp


def test_writes_are_atomic_and_never_overwrite_input(events, gazetteer, tmp_path):
    source = tmp_path / "in.geojson"
    write_events(events, source)
    before = source.read_bytes()
    with pytest.raises(OutputError, match="input"):
        write_events(events, source, inputs=(source,))
    assert source.read_bytes() == before
    # a failing write leaves neither a partial file nor a temporary file behind
    broken = events.copy()
    broken.loc[0, "id"] = broken.loc[1, "id"]  # duplicate feature ids are refused
    target = tmp_path / "out.geojson"
    with pytest.raises(ValueError):
        write_events(broken, target)
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.geojson"]
    # an existing output stays intact when the new write fails
    write_events(events, target)
    good = target.read_bytes()
    with pytest.raises(ValueError):
        write_events(broken, target)
    assert target.read_bytes() == good
