"""Imports: GeoJSON with a legacy crs member (incl. DeepStateMap files), ACLED-style CSV,
KML, and precise errors for malformed JSON/CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geoevents.events.read import load_events, read_events

DATA = Path(__file__).resolve().parent / "data" / "events"


@pytest.fixture(scope="module")
def gazetteer():
    from geoevents.places.gazetteer import Gazetteer
    return Gazetteer.default()


def test_acled_style_csv(gazetteer):
    gdf = read_events(DATA / "acled-style.csv", geocoder=gazetteer)
    assert gdf["id"].tolist() == ["TST0001", "TST0002", "TST0003"]
    first, second, third = (gdf.iloc[i] for i in range(3))
    assert (first.date, first.place, first.figure, first.figure_unit) == ("2024-08-06", "Sudzha", 3.0, "killed")
    assert first.actor == "Military Forces of Ukraine (2019-)" and first.kind == "attack"
    assert first.claimant == "Test source A" and first.source == "ACLED"
    assert '"quoted"' in first.claim and first.status == "reported"
    assert (first.country_code, first.admin1_code) == ("RU", "RU-KRS")
    assert (first.longitude, first.latitude) == (35.271, 51.191)
    assert first.published == "2024-08-12"
    assert (second.date, second.admin1_code, second.figure) == ("2024-08-07", "UA-59", 0.0)
    assert third.kind == "other" and third.geo_precision == "admin1"
    assert third.figure != third.figure and third.figure_unit is None  # no fatalities given


def test_geojson_with_legacy_projected_crs_is_reprojected(gazetteer):
    gdf, problems = load_events(DATA / "legacy-crs-3857.geojson", geocoder=gazetteer)
    assert [p.severity for p in problems] == ["warning"] and "reprojected" in problems[0].message
    minx, miny, maxx, maxy = gdf.geometry.iloc[0].bounds
    assert abs(minx - 35.20) < 1e-6 and abs(maxy - 51.25) < 1e-6
    assert gdf.iloc[0].admin1_code == "RU-KRS" and gdf.iloc[0].geo_precision == "exact"


def test_deepstate_snapshot_with_crs84_member(deepstate_dir, gazetteer):
    path = sorted(deepstate_dir.glob("deepstatemap_data_*.geojson"))[0]
    day = path.stem.rsplit("_", 1)[1]
    gdf = read_events(path, geocoder=gazetteer, defaults={
        "date": f"{day[:4]}-{day[4:6]}-{day[6:]}", "claimant": "DeepStateMap",
        "source": "DeepStateMap", "kind": "control", "status": "claimed"})
    assert len(gdf) >= 1 and gdf.geometry.is_valid.all()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    assert gdf.iloc[0].date == f"{day[:4]}-{day[4:6]}-{day[6:]}"
    assert gdf.iloc[0].country_code == "UA"
    # without the defaults the same file is refused with located reasons
    _, problems = load_events(path, geocoder=gazetteer)
    assert {(p.field, p.severity) for p in problems} >= {
        ("features[0].date", "error"), ("features[0].claimant", "error")}


def test_kml_placemarks(gazetteer):
    gdf = read_events(DATA / "placemarks.kml", geocoder=gazetteer)
    assert gdf["place"].tolist() == ["Sudzha", "Test area"]
    point, area = gdf.iloc[0], gdf.iloc[1]
    assert (point.date, point.status, point.kind) == ("2024-08-15", "claimed", "control")
    assert point.admin1_code == "RU-KRS" and point.place_id == 486816
    assert area.geometry.geom_type == "Polygon" and area.figure == 12.5 and area.figure_unit == "km2"
    assert area.claim.startswith("Test placemark")


def test_kml_without_gdal_driver_parses_the_same(gazetteer):
    from geoevents.io.kml import _map_columns, _read_etree

    frame = _map_columns(_read_etree(DATA / "placemarks.kml"))
    assert frame["place"].tolist() == ["Sudzha", "Test area"]
    assert frame["date"].tolist() == ["2024-08-15", "2024-09"]
    assert frame["geometry"].iloc[1].area > 0


@pytest.mark.parametrize("text, line, needle", [
    ('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}\n]}', 3, "JSON syntax error"),
    ('{"type": "Topology"}', 1, "FeatureCollection"),
])
def test_malformed_geojson(tmp_path, gazetteer, text, line, needle):
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    _, problems = load_events(path, geocoder=gazetteer)
    assert problems[0].line == line and needle in problems[0].message


def test_geojson_wrong_types_are_located(tmp_path, gazetteer):
    features = [
        {"type": "Feature", "properties": {"id": "a", "date": "2024-08-06", "claimant": "X",
                                           "figure": "many", "figure_unit": "troops"},
         "geometry": {"type": "Point", "coordinates": [35.27, 51.19]}},
        {"type": "Feature", "properties": {"id": "b", "date": "2024-08-06", "claimant": "X"},
         "geometry": {"type": "Point", "coordinates": [51.19, 135.27]}},
    ]
    path = tmp_path / "types.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    _, problems = load_events(path, geocoder=gazetteer)
    fields = {p.field: p.message for p in problems}
    assert "must be a number" in fields["features[0].figure"]
    assert fields["features[0].figure"] == "figure must be a number, got 'many'"
    assert "coordinates out of range" in fields["features[1].geometry"]
    assert "longitude and latitude swapped" in fields["features[1].geometry"]
    assert {p.severity for p in problems if p.field.endswith((".figure", ".geometry"))} == {"error"}


def test_csv_errors_name_the_line(tmp_path, gazetteer):
    path = tmp_path / "events.csv"
    path.write_text("id,date,place,claimant,latitude,longitude\n"
                    "a,2024-08-06,Sudzha,X,51.19,35.27\n"
                    "b,2024-02-31,Sudzha,X,51.19,35.27\n"
                    "c,2024-08-06,Sudzha,,north,35.27\n", encoding="utf-8")
    _, problems = load_events(path, geocoder=gazetteer)
    assert [(p.line, p.field) for p in problems] == [(3, "date"), (4, "latitude"), (4, "claimant")]


def test_geojson_problems_carry_the_feature_line(tmp_path, gazetteer):
    path = tmp_path / "lines.geojson"
    path.write_text("""{"type": "FeatureCollection",
 "features": [
  {"type": "Feature", "properties": {"id": "a", "date": "2024-08-06", "claimant": "X"},
   "geometry": {"type": "Point", "coordinates": [35.27, 51.19]}},
  {"type": "Feature", "properties": {"id": "b", "date": "2024-02-30", "claimant": "X"},
   "geometry": {"type": "Point", "coordinates": [35.27, 51.19]}}
 ]}
""", encoding="utf-8")
    _, problems = load_events(path, geocoder=gazetteer)
    assert [(p.line, p.field) for p in problems] == [(5, "features[1].date")]
    assert str(problems[0]).startswith(f"{path}:5:features[1].date: error:")


def test_hostile_strings_in_tables_are_refused_with_location(tmp_path, gazetteer):
    rows = [
        {"id": "a", "date": "2024-08-06", "claimant": "X\x1b[31m", "place": "Sudzha"},
        {"id": "b", "date": "2024-08-06", "claimant": "X", "place": "Sudzha",
         "claim": "y" * 10_000},
        {"id": "c", "date": "2024-08-06", "claimant": "<img src=x onerror=alert(1)>",
         "place": "Sudzha"},
    ]
    features = [{"type": "Feature", "properties": row,
                 "geometry": {"type": "Point", "coordinates": [35.271, 51.191]}} for row in rows]
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
    gdf, problems = load_events(path, geocoder=gazetteer)
    assert [(p.field, p.severity) for p in problems] == [
        ("features[0].claimant", "error"), ("features[1].claim", "error")]
    first_feature_line = next(number for number, line in enumerate(
        path.read_text().splitlines(), 1) if '"type": "Feature"' in line)
    assert "control characters" in problems[0].message
    assert problems[0].line == first_feature_line
    assert "10000 characters" in problems[1].message
    assert gdf.iloc[2].claimant == "<img src=x onerror=alert(1)>"  # kept as text; escaped on output
