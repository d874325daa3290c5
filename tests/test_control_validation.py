"""Control layers from hostile or broken files: refused with a located error, or read correctly.

Every refusal must name the file, the feature and its line, and the field
(`file:feature N (line L):field: error: ...`); the CLI exits 1 without a
traceback. What can be read correctly (polygons across ±180°, polar caps,
numeric controllers) must measure and diff the same however it was written.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.control import ControlLayerError, InvalidGeometryWarning, read_control
from geoevents.territory.diff import diff_control, summarize_diff
from geoevents.territory.timeline import timeline

A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)


def band_km2(lat0: float, lat1: float, dlon: float = 360.0) -> float:
    """Exact ellipsoidal area between two parallels (authalic latitude formula)."""
    def q(phi: float) -> float:
        s = math.sin(math.radians(phi))
        return (1 - E2) * (s / (1 - E2 * s * s) - 1 / (2 * E) * math.log((1 - E * s) / (1 + E * s)))
    return A * A / 2 * abs(q(lat1) - q(lat0)) * math.radians(dlon) / 1e6


def box(x0, y0, x1, y1) -> list:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(coords) -> dict:
    return {"type": "Polygon", "coordinates": coords}


def write(path: Path, data) -> Path:
    """Write JSON (indented, so features start on known lines) or raw text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1), encoding="utf-8")
    return path


def collection(*features, **members) -> dict:
    return {"type": "FeatureCollection", **members, "features": list(features)}


def refused(path: Path, *fragments: str, **options) -> str:
    with pytest.raises(ControlLayerError) as caught:
        read_control(path, **options)
    message = str(caught.value)
    for fragment in fragments:
        assert re.search(fragment, message), message
    return message


CELL = polygon(box(30, 50, 30.5, 50.5))


# -- coordinates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coords", "expected"),
    [
        (box(30, 50, 500, 51), r"position 2: longitude 500 is outside -180\.\.180"),
        (box(30, 50, 31, 95), r"latitude 95 is outside -90\.\.90"),
        (box(30, -91, 31, 50), r"latitude -91 is outside"),
        (box(181, 50, 182, 51), r"longitude 181 is outside .*antimeridian"),  # not a continuation
        (box(-170, 50, 200, 51), r"longitude 200 is outside"),  # a ring spanning 370°
    ],
)
def test_out_of_range_coordinates_are_located_errors(tmp_path, coords, expected):
    path = write(tmp_path / "f_20240101.geojson", collection(feature(CELL), feature(polygon(coords))))
    message = refused(path, r"f_20240101\.geojson:feature 2 \(line \d+\):geometry: error: ", expected)
    assert "\n" not in message  # one problem, one line


def test_non_finite_and_non_numeric_positions(tmp_path):
    nan = write(tmp_path / "nan_20240101.geojson",
                '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {},\n'
                '"geometry": {"type": "Polygon", "coordinates": [[[30, 50], [NaN, 50], [31, 51], [30, 50]]]}}]}')
    refused(nan, r"nan_20240101\.geojson:feature 1 \(line 2\): error: NaN is not a number JSON allows")
    inf = write(tmp_path / "inf_20240101.geojson",
                collection(feature(polygon([[[30, 50], [1e400, 50], [31, 51], [30, 50]]]))))
    # json writes 1e400 as Infinity; written by hand it is a number literal that overflows
    inf.write_text(inf.read_text().replace("Infinity", "1e400"))
    refused(inf, r"feature 1 \(line \d+\):geometry\.coordinates\[0\]\[1\]: error: .*not a finite")
    for bad, where in (([[30, 50], ["31", 50], [31, 51], [30, 50]], r"\[0\]\[1\]"),
                       ([[30, 50], [True, 50], [31, 51], [30, 50]], r"\[0\]\[1\]"),
                       ([[30, 50], [31], [31, 51], [30, 50]], r"\[0\]\[1\]"),
                       ([[30, 50], [31, 50, 1, 2], [31, 51], [30, 50]], r"\[0\]\[1\]"),
                       ([[30, 50], {"x": 31}, [31, 51], [30, 50]], r"\[0\]\[1\]")):
        path = write(tmp_path / "bad_20240101.geojson", collection(feature(polygon([bad]))))
        refused(path, r"geometry\.coordinates" + where + r": error: .* is not a position")


def test_ring_structure(tmp_path):
    unclosed = write(tmp_path / "u_20240101.geojson", collection(feature(polygon([[[30, 50], [31, 50], [31, 51], [30, 51]]]))))
    refused(unclosed, r"coordinates\[0\]: error: the ring is not closed")
    short = write(tmp_path / "s_20240101.geojson", collection(feature(polygon([[[30, 50], [31, 50], [30, 50]]]))))
    refused(short, r"at least 4 positions")
    empty = write(tmp_path / "e_20240101.geojson", collection(feature(polygon([]))))
    refused(empty, r"geometry\.coordinates: error: a Polygon needs a non-empty")
    flat = write(tmp_path / "c_20240101.geojson",
                 collection(feature(polygon([[[30, 50], [31, 50], [32, 50], [30, 50]]]))))
    refused(flat, r"feature 1 \(line \d+\):geometry: error: the polygon encloses no area")


def test_self_intersecting_ring_is_repaired_with_a_warning_naming_the_feature(tmp_path):
    bowtie = polygon([[[30, 50], [31, 51], [31, 50], [30, 51], [30, 50]]])
    path = write(tmp_path / "b_20240101.geojson", collection(feature(CELL), feature(bowtie)))
    with pytest.warns(InvalidGeometryWarning, match=r"b_20240101\.geojson:feature 2 \(line \d+\):geometry: "
                                                    r"warning: repaired 1 invalid geometry"):
        layer = read_control(path)
    assert layer.geometry.iloc[0].is_valid


# -- geometry and feature types ---------------------------------------------------------------


def test_null_empty_and_non_polygon_geometries(tmp_path):
    cases = {
        "null": (None, r"feature 2 \(line \d+\):geometry: error: no geometry \(null\)"),
        "point": ({"type": "Point", "coordinates": [30, 50]}, r"geometry\.type: error: .*not a Point"),
        "line": ({"type": "LineString", "coordinates": [[30, 50], [31, 51]]}, r"not a LineString"),
        "unknown": ({"type": "Circle", "coordinates": [30, 50]}, r"unknown geometry type 'Circle'"),
        "string": ("POLYGON((30 50, 31 50, 31 51, 30 50))", r"must be a GeoJSON geometry object"),
        "collection_with_point": ({"type": "GeometryCollection", "geometries": [CELL, {"type": "Point", "coordinates": [1, 2]}]},
                                  r"geometry\.geometries\[1\]\.type: error: .*not a Point"),
        "empty_collection": ({"type": "GeometryCollection", "geometries": []}, r"non-empty `geometries`"),
    }
    for name, (geometry, expected) in cases.items():
        path = write(tmp_path / f"{name}_20240101.geojson", collection(feature(CELL), feature(geometry)))
        refused(path, expected)


def test_a_collection_of_polygons_is_read_as_their_union(tmp_path):
    pair = {"type": "GeometryCollection", "geometries": [CELL, polygon(box(31, 50, 31.5, 50.5))]}
    layer = read_control(write(tmp_path / "gc_20240101.geojson", collection(feature(pair))))
    expected = geodesic_area_km2([shapely.box(30, 50, 30.5, 50.5), shapely.box(31, 50, 31.5, 50.5)]).sum()
    assert geodesic_area_km2(layer.geometry)[0] == pytest.approx(expected, rel=1e-12)


def test_collection_structure(tmp_path):
    refused(write(tmp_path / "empty_20240101.geojson", collection()),
            r"empty_20240101\.geojson:\d+:features: error: no features")
    refused(write(tmp_path / "feat_20240101.geojson", {"type": "Feature", "geometry": CELL, "features": []}),
            r":1:features: error: a Feature has no `features` member")
    refused(write(tmp_path / "geom_20240101.geojson", CELL), r":1:type: error: expected a GeoJSON FeatureCollection")
    refused(write(tmp_path / "list_20240101.geojson", [feature(CELL)]), r":1: error: expected a GeoJSON object")
    refused(write(tmp_path / "notlist_20240101.geojson", {"type": "FeatureCollection", "features": {"a": 1}}),
            r":\d+:features: error: must be an array of Features")
    refused(write(tmp_path / "notfeat_20240101.geojson", collection(feature(CELL), CELL)),
            r"feature 2 \(line \d+\):type: error: not a GeoJSON Feature")
    refused(write(tmp_path / "props_20240101.geojson", collection({"type": "Feature", "properties": [1], "geometry": CELL})),
            r"feature 1 \(line \d+\):properties: error: must be an object or null")
    two = '{"type": "FeatureCollection",\n "features": [],\n "features": [%s]}' % json.dumps(feature(CELL))
    refused(write(tmp_path / "two_20240101.geojson", two), r":3: error: duplicate top-level member 'features'")


def test_duplicate_keys_deep_nesting_and_huge_numbers(tmp_path):
    dup = ('{"type": "FeatureCollection", "features": [\n%s,\n{"type": "Feature", "properties": '
           '{"controller": "RU", "controller": "UA"}, "geometry": %s}]}' % (json.dumps(feature(CELL)), json.dumps(CELL)))
    refused(write(tmp_path / "dup_20240101.geojson", dup),
            r"feature 2 \(line 3\): error: duplicate key 'controller'")
    deep = '{"type": "FeatureCollection", "features": [\n' + "[" * 100_000 + "]" * 100_000 + "]}"
    started = time.perf_counter()
    refused(write(tmp_path / "deep_20240101.geojson", deep), r"deep_20240101\.geojson:2: error: JSON nested deeper than")
    assert time.perf_counter() - started < 2
    nested: list = [1]
    for _ in range(32):
        nested = [nested]
    props = feature(CELL, note=nested)
    refused(write(tmp_path / "deepprop_20240101.geojson", collection(props)), r"nested deeper than 32")
    huge = json.dumps(collection(feature(polygon([[[30, 50], [31, 50], [31, 51], [30, 50]]])))).replace(
        "31, 51", "31, " + "9" * 5000)
    refused(write(tmp_path / "huge_20240101.geojson", huge), r"feature 1 \(line 1\): error: an integer of 5000 digits")
    refused(write(tmp_path / "trunc_20240101.geojson", json.dumps(collection(feature(CELL)))[:-30]),
            r"trunc_20240101\.geojson:feature 1 \(line 1\): error: JSON syntax error")
    refused(write(tmp_path / "extra_20240101.geojson", json.dumps(collection(feature(CELL))) + "\n{}"),
            r":2: error: extra data")
    latin = tmp_path / "latin_20240101.geojson"
    latin.write_bytes(json.dumps(collection(feature(CELL, source="x"))).encode().replace(b'"x"', b'"\xe9"'))
    refused(latin, r"latin_20240101\.geojson:1: error: not UTF-8 text")


def test_too_many_positions_stop_early(tmp_path, monkeypatch):
    from geoevents.territory import polygons

    monkeypatch.setattr(polygons, "MAX_POSITIONS", 12)
    many = collection(*[feature(CELL) for _ in range(5)])
    refused(write(tmp_path / "many_20240101.geojson", many), r"feature 3 \(line \d+\):geometry\.coordinates\[0\]: "
            r"error: the file holds more than 12 positions")


# -- properties -------------------------------------------------------------------------------


def test_property_types(tmp_path):
    cases = [
        ({"controller": 1.5}, r"properties\.controller: error: must be text .*not 1\.5"),
        ({"controller": True}, r"properties\.controller: error: must be text"),
        ({"controller": {"code": "RU"}}, r"properties\.controller: error: must be text"),
        ({"controller": ["RU"]}, r"properties\.controller: error: must be text"),
        ({"controller": "R\u0000U"}, r"properties\.controller: error: contains control characters"),
        ({"controller": "X" * 5000}, r"properties\.controller: error: is 5,000 characters long"),
        ({"source": 2.5}, r"properties\.source: error: must be text"),
        ({"status": "rumoured"}, r"properties\.status: error: 'rumoured' is not one of assessed, claimed"),
        ({"status": 1}, r"properties\.status: error: 1 is not one of"),
    ]
    for properties, expected in cases:
        path = write(tmp_path / "p_20240101.geojson", collection(feature(CELL, **properties)))
        message = refused(path, r"p_20240101\.geojson:feature 1 \(line \d+\):" + expected)
        assert len(message) < 400  # a 5,000-character value is never echoed whole


def test_dates_in_multi_date_files(tmp_path):
    ok = feature(CELL, date="2024-01-01")
    for value, expected in (("2024-02-30", r"'2024-02-30' is not a real date"),
                            ("yesterday", r"'yesterday' is not an ISO date"),
                            (20240101, r"20240101 is not an ISO date"),
                            (None, r"no `date`; every feature of a multi-date layer needs one")):
        path = write(tmp_path / "dated.geojson", collection(ok, feature(CELL, date=value)))
        refused(path, r"dated\.geojson:feature 2 \(line \d+\):properties\.date: error: " + expected)
    layer = read_control(write(tmp_path / "dated.geojson",
                               collection(ok, feature(CELL, date="2024-01-03T10:00:00Z"))))
    assert [str(d) for d in layer["date"]] == ["2024-01-01", "2024-01-03"]


def test_dates_in_file_names(tmp_path):
    folder = tmp_path / "front"
    write(folder / "front_20240101.geojson", collection(feature(CELL)))
    write(folder / "front_20240230.geojson", collection(feature(CELL)))
    refused(folder, r"front_20240230\.geojson: error: the date 20240230 in the file name is not a real date")
    # an earlier number in the name is not used instead of the bad date
    (folder / "front_20240230.geojson").rename(folder / "v20240105_20241399.geojson")
    refused(folder, r"v20240105_20241399\.geojson: error: the date 20241399")
    single = write(tmp_path / "layer_20241399.geojson", collection(feature(CELL)))
    refused(single, r"layer_20241399\.geojson: error: the features have no `date` property.*20241399")


def test_numeric_and_missing_controllers_become_text_across_snapshots(tmp_path):
    folder = tmp_path / "mixed"
    write(folder / "f_20240101.geojson", collection(feature(CELL, controller=1)))
    write(folder / "f_20240102.geojson", collection(feature(CELL, controller=None)))
    write(folder / "f_20240103.geojson", collection(feature(CELL, controller=" 1 ")))
    write(folder / "f_20240104.geojson", collection(feature(CELL, controller="")))
    layer = read_control(folder, controller="RU")
    assert list(layer["controller"]) == ["1", "RU", "1", "RU"]
    assert all(type(c) is str for c in layer["controller"]) and all(type(s) is str for s in layer["source"])
    table = timeline(layer)
    assert set(table["controller"]) == {"1", "RU"}
    days = sorted(set(layer["date"]))
    changes = diff_control(layer[layer["date"] == days[0]], layer[layer["date"] == days[1]])
    summary = summarize_diff(changes).set_index("controller")
    cell = geodesic_area_km2(shapely.box(30, 50, 30.5, 50.5))[0]
    assert summary.loc["1", "lost_km2"] == pytest.approx(cell) and summary.loc["RU", "gained_km2"] == pytest.approx(cell)


def test_mixed_controller_types_in_frames_built_by_hand_do_not_crash():
    import datetime as dt

    cell = shapely.box(30, 50, 31, 51)
    first = gpd.GeoDataFrame({"date": [dt.date(2024, 1, 1)] * 2, "controller": [1, None]},
                             geometry=[cell, shapely.box(40, 50, 41, 51)], crs=4326)
    second = gpd.GeoDataFrame({"date": [dt.date(2024, 1, 2)], "controller": ["1"]}, geometry=[cell], crs=4326)
    summary = summarize_diff(diff_control(first, second, controller="UA")).set_index("controller")
    assert list(summary.index) == ["1", "UA"]
    assert summary.loc["1", "lost_km2"] == 0 and summary.loc["UA", "lost_km2"] > 0
    table = timeline(gpd.GeoDataFrame(pd_concat(first, second), crs=4326))
    assert sorted(set(table["controller"])) == ["1", "RU"]


def pd_concat(*frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def test_geopackage_with_integer_and_null_controllers(tmp_path):
    folder = tmp_path / "gpkg"
    folder.mkdir()
    gpd.GeoDataFrame({"controller": [7]}, geometry=[shapely.box(30, 50, 31, 51)], crs=4326).to_file(
        folder / "f_20240101.gpkg")
    gpd.GeoDataFrame({"controller": [None]}, geometry=[shapely.box(30, 50, 31.5, 51)], crs=4326).to_file(
        folder / "f_20240102.gpkg")
    layer = read_control(folder, controller="RU")
    assert list(layer["controller"]) == ["7", "RU"]
    bad = tmp_path / "bad"
    bad.mkdir()
    gpd.GeoDataFrame({"controller": ["RU", "RU"]}, geometry=[shapely.box(30, 50, 31, 51), shapely.box(30, 50, 500, 51)],
                     crs=4326).to_file(bad / "f_20240101.gpkg")
    refused(bad, r"f_20240101\.gpkg:feature 2:geometry: error: .*longitude 500")
    points = tmp_path / "points"
    points.mkdir()
    gpd.GeoDataFrame(geometry=[shapely.Point(30, 50)], crs=4326).to_file(points / "f_20240101.gpkg")
    refused(points, r"f_20240101\.gpkg:feature 1:geometry: error: .*not a Point")


# -- legacy crs ---------------------------------------------------------------------------------


def test_legacy_crs(tmp_path):
    mars = {"type": "name", "properties": {"name": "IAU_2015:49900"}}
    refused(write(tmp_path / "mars_20240101.geojson", collection(feature(CELL), crs=mars)),
            r"mars_20240101\.geojson:1:crs: error: .*Mars.* is not a coordinate system of the Earth")
    refused(write(tmp_path / "nonsense_20240101.geojson",
                  collection(feature(CELL), crs={"type": "name", "properties": {"name": "EPSG:99999999"}})),
            r":1:crs: error: unknown coordinate reference system 'EPSG:99999999'")
    refused(write(tmp_path / "link_20240101.geojson", collection(feature(CELL), crs={"type": "link", "href": "x"})),
            r":1:crs: error: a legacy `crs` member must be")
    # Web Mercator metres are converted (and checked after conversion)
    from pyproj import Transformer

    to_metres = Transformer.from_crs(4326, 3857, always_xy=True)
    ring = [list(to_metres.transform(x, y)) for x, y in box(30, 50, 30.5, 50.5)[0]]
    metres = collection(feature(polygon([ring])),
                        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}})
    layer = read_control(write(tmp_path / "merc_20240101.geojson", metres))
    assert layer.total_bounds == pytest.approx([30, 50, 30.5, 50.5], abs=1e-9)
    beyond = collection(feature(polygon([[[0, 0], [1e9, 0], [1e9, 1e9], [0, 0]]])),
                        crs={"type": "name", "properties": {"name": "EPSG:3857"}})
    refused(write(tmp_path / "far_20240101.geojson", beyond), r"after conversion to WGS84")


# -- antimeridian and poles ------------------------------------------------------------------------


def whole_and_split_forms():
    whole = polygon(box(179, -17, 181, -16))
    jump = polygon([[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]])
    split = {"type": "MultiPolygon", "coordinates": [box(179, -17, 180, -16), box(-180, -17, -179, -16)]}
    return whole, jump, split


def test_the_same_area_across_the_antimeridian_measures_and_diffs_the_same_in_every_form(tmp_path):
    whole, jump, split = whole_and_split_forms()
    folder = tmp_path / "fiji"
    write(folder / "f_20240101.geojson", collection(feature(whole)))
    write(folder / "f_20240102.geojson", collection(feature(split)))
    write(folder / "f_20240103.geojson", collection(feature(jump)))
    layer = read_control(folder)
    expected = 2 * geodesic_area_km2(shapely.box(179, -17, 180, -16))[0]
    assert geodesic_area_km2(layer.geometry) == pytest.approx([expected] * 3, rel=1e-9)
    assert expected == pytest.approx(23_630, rel=1e-3)
    assert all(shapely.equals(g, layer.geometry.iloc[1]) for g in layer.geometry)
    assert (layer.total_bounds[[0, 2]] == [-180, 180]).all()
    table = timeline(layer)
    assert table[["gained_km2", "lost_km2"]].iloc[1:].to_numpy().max() == 0
    assert table["slivers_dropped"].sum() == 0
    for a, b in (("20240101", "20240102"), ("20240102", "20240103"), ("20240103", "20240101")):
        result = CliRunner().invoke(main, ["diff", str(folder / f"f_{a}.geojson"), str(folder / f"f_{b}.geojson"),
                                           "--format", "json", "--sliver-km2", "0"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        (row,) = json.loads(result.stdout)["controllers"]
        assert (row["gained_km2"], row["lost_km2"], row["slivers_dropped"]) == (0, 0, 0)


def test_frames_built_by_hand_are_normalised_before_differencing():
    import datetime as dt

    day1, day2 = dt.date(2024, 1, 1), dt.date(2024, 1, 2)
    whole = gpd.GeoDataFrame({"date": [day1]}, geometry=[shapely.box(179, -17, 181, -16)], crs=4326)
    split = gpd.GeoDataFrame({"date": [day2]}, geometry=[shapely.MultiPolygon(
        [shapely.box(179, -17, 180, -16), shapely.box(-180, -17, -179, -16)])], crs=4326)
    assert diff_control(whole, split).empty


@pytest.mark.parametrize("form", ["rfc", "seam", "jump"])
@pytest.mark.parametrize("pole", [1, -1])
def test_a_polar_cap_gets_its_real_area(tmp_path, form, pole):
    lat = 80 * pole
    rings = {
        # RFC 7946: along the parallel, up the ±180 meridian to the pole, back along the pole
        "rfc": [[-180, lat], [180, lat], [180, 90 * pole], [-180, 90 * pole], [-180, lat]],
        # around the parallel, closed along the map edge from 180 back to -180
        "seam": [[-180, lat], [-90, lat], [0, lat], [90, lat], [180, lat], [-180, lat]],
        # around the parallel, jumping across the antimeridian
        "jump": [[-170, lat], [-90, lat], [0, lat], [90, lat], [170, lat], [-170, lat]],
    }
    layer = read_control(write(tmp_path / "cap_20240101.geojson", collection(feature(polygon([rings[form]])))))
    assert geodesic_area_km2(layer.geometry)[0] == pytest.approx(band_km2(80, 90), rel=1e-4)
    assert band_km2(80, 90) == pytest.approx(3_908_573, rel=1e-6)


def test_a_band_around_the_pole_with_a_hole_at_the_pole(tmp_path):
    outer = [[-180, 70], [-90, 70], [0, 70], [90, 70], [180, 70], [-180, 70]]
    inner = [[-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [-180, 80]]
    layer = read_control(write(tmp_path / "band_20240101.geojson", collection(feature(polygon([outer, inner])))))
    assert geodesic_area_km2(layer.geometry)[0] == pytest.approx(band_km2(70, 80), rel=1e-4)


def test_a_ring_winding_twice_around_a_pole_is_refused(tmp_path):
    twice = [[x, 80] for x in range(-170, 190, 60)] + [[x, 80] for x in range(-110, 190, 60)] + [[-170, 80]]
    path = write(tmp_path / "twice_20240101.geojson", collection(feature(polygon([twice]))))
    refused(path, r"feature 1 \(line \d+\):geometry: error: a ring winds 2 times around a pole")


# -- command line --------------------------------------------------------------------------------


def test_cli_prints_located_errors_and_exits_1_without_traceback(tmp_path):
    good = write(tmp_path / "a_20240101.geojson", collection(feature(CELL)))
    # one feature per line: feature N starts on line N + 1
    features = [feature(CELL), feature(polygon(box(30, 50, 500, 51))), feature(None)]
    bad = write(tmp_path / "b_20240102.geojson", '{"type": "FeatureCollection", "features": [\n'
                + ",\n".join(json.dumps(f) for f in features) + "\n]}")
    expected = [
        f"{bad}:feature 2 (line 3):geometry: error: polygon 1, ring 1, position 2: longitude 500 is outside "
        "-180..180",
        f"{bad}:feature 3 (line 4):geometry: error: no geometry (null); a control feature needs a Polygon or "
        "MultiPolygon (leave the feature out if it holds no ground)",
    ]
    # the real entry point once, in a process of its own
    run = subprocess.run([sys.executable, "-c", "from geoevents.cli import main; main()", "diff", str(good), str(bad)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert run.stderr.strip().splitlines() == expected
    for args in (["timeline", bad], ["diff", bad, good, "--format", "json"], ["check-claims", good, "--control", bad]):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 1 and result.stdout == "", result.output
        assert result.stderr.strip().splitlines() == expected


def test_small_hostile_files_cost_little(tmp_path):
    """A few kB may not cost more than a second or two (nesting, repeated keys, star polygons)."""
    import math as m

    star = [[round(30 + 0.5 * m.cos(4.1 * i), 4), round(50 + 0.5 * m.sin(4.1 * i), 4)] for i in range(150)]
    star.append(star[0])
    files = [
        write(tmp_path / "star_20240101.geojson", collection(feature(polygon([star])))),
        write(tmp_path / "deep_20240101.geojson", "[" * 4000 + "]" * 4000),
        write(tmp_path / "keys_20240101.geojson", '{"type": "FeatureCollection", "features": [{' +
              ", ".join(f'"k{i}": {i}' for i in range(400)) + ', "k0": 1}]}'),
    ]
    for path in files:
        assert path.stat().st_size < 10_000
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InvalidGeometryWarning)
            try:
                layer = read_control(path)
                timeline(layer)
            except ControlLayerError:
                pass
        assert time.perf_counter() - started < 3, path


def test_mutated_control_files_never_crash(tmp_path):
    """A seeded mutation fuzzer: every mutant is read correctly or refused with a located error."""
    import random

    base = json.dumps(collection(
        feature({"type": "MultiPolygon", "coordinates": [[box(30, 50, 31, 51)[0],
                                                          [[30.2, 50.2], [30.4, 50.2], [30.4, 50.4], [30.2, 50.2]]]]},
                controller="RU", date="2024-01-01", status="assessed"),
        feature(polygon(box(179, -17, 181, -16)), controller="UA", date="2024-01-02"),
    ))
    junk = ["NaN", "Infinity", "1e400", '"x"', "null", "true", "[]", "{}", "[[[[]]]]", "9" * 60, "500", "-91",
            '"2024-02-30"', '{"a":1,"a":2}', '"\\u0000"', "[" * 50, "]", '"', ",", "0.0"]
    rng = random.Random(20240101)
    for case in range(400):
        text = base
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(max(len(text), 1))
            roll = rng.random()
            if roll < 0.15:
                text = text[:i]
            elif roll < 0.6:
                text = text[:i] + rng.choice(junk) + text[i + rng.randint(1, 8):]
            elif roll < 0.8:
                text = text[:i] + rng.choice(junk) + text[i:]
            else:
                text = text[:i] + text[i + rng.randint(1, 20):]
        path = write(tmp_path / f"m{case}_20240101.geojson", text)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InvalidGeometryWarning)
            try:
                timeline(read_control(path))
            except ControlLayerError as error:
                assert str(error).startswith(f"{path}:") and ": error: " in str(error), (text, str(error))
        assert time.perf_counter() - started < 2, text
