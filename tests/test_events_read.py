"""read_events on YAML: the model, geocoding with the real gazetteer, precise errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from geoevents.events.model import COLUMNS, EventFileError, schema
from geoevents.events.read import load_events, read_events


@pytest.fixture(scope="module")
def gazetteer():
    from geoevents.places.gazetteer import Gazetteer
    return Gazetteer.default()


HEADER = """\
source: Test Outlet
source_url: https://example.org/story
published: 2025-02-07
events:
"""


def write(tmp_path: Path, body: str, name: str = "events.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(path: Path, gazetteer) -> list:
    _, problems = load_events(path, geocoder=gazetteer)
    return problems


def test_yaml_loads_to_the_documented_columns(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - id: a
        date: six months ago
        place: Sudzha
        country: RU
        kind: control
        actor: Ukrainian armed forces
        claimant: Test claimant
        claim: A test claim.
        figure: 12
        figure_unit: km2
        approximate: true
        status: claimed
    """)
    gdf = read_events(path, geocoder=gazetteer)
    assert list(gdf.columns) == [*COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    row = gdf.iloc[0]
    assert (row.date, row.date_precision, row.date_text) == ("2024-08", "month", "six months ago")
    assert (row.date_start, row.date_end, row.published) == ("2024-08-01", "2024-08-31", "2025-02-07")
    assert (row.country_code, row.admin1_code, row.geo_precision) == ("RU", "RU-KRS", "locality")
    assert row.place_id == 486816  # GeoNames id of Sudzha
    assert abs(row.geometry.x - 35.27) < 0.05 and abs(row.geometry.y - 51.19) < 0.05
    assert (row.latitude, row.longitude) == (row.geometry.y, row.geometry.x)
    assert row.source == "Test Outlet"
    assert row.source_url == "https://example.org/story"
    assert gdf["approximate"].dtype == bool and bool(row.approximate) is True
    assert row.figure == 12.0 and row.figure_unit == "km2"
    assert (row.id, row.kind, row.actor, row.claimant, row.claim, row.status) == (
        "a", "control", "Ukrainian armed forces", "Test claimant", "A test claim.", "claimed")


def test_region_level_claims_carry_the_region(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - {id: r, date: 2024-08, place: Kharkiv Oblast, country: UA, claimant: X, status: reported}
    """)
    row = read_events(path, geocoder=gazetteer).iloc[0]
    assert (row.geo_precision, row.admin1_code, row.country_code) == ("admin1", "UA-63", "UA")


def test_every_problem_is_reported_with_line_and_field(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - id: ok
        date: 2024-08-06
        place: Kursk Oblast
        claimant: X
        status: reported
      - id: ok
        date: 2024-02-30
        place: Nowhereville Xyzzy
        claimant: X
        figure: 40000
        status: reported
      - id: late
        date: 2025-03-01
        place: Springfield
        status: claimed
        claimaint: Y
      - id: swapped
        date: 2024-08-06
        place: Sudzha
        country: RU
        latitude: 35.271
        longitude: 51.191
        claimant: X
        status: reported
      - id: range
        date: 2024-08-06
        place: Sudzha
        latitude: 95
        longitude: 35
        claimant: X
        status: wrong
    """)
    found = {(p.line, p.field, p.severity): p for p in problems_of(path, gazetteer)}
    messages = {key: p.message for key, p in found.items()}
    assert "duplicate id 'ok'" in messages[(10, "id", "error")]
    assert "line 5" in messages[(10, "id", "error")]
    assert "not a real calendar day" in messages[(11, "date", "error")]
    assert "unknown place" in messages[(12, "place", "error")]
    assert "has no unit" in messages[(10, "figure_unit", "error")]
    assert "after publication" in messages[(17, "date", "error")]
    ambiguous = found[(18, "place", "error")]
    assert "ambiguous" in ambiguous.message and len(ambiguous.candidates) >= 2
    assert "did you mean 'claimant'" in messages[(20, "claimaint", "error")]
    assert "missing claimant" in messages[(16, "claimant", "error")]
    assert "look swapped" in messages[(25, "latitude", "error")]
    assert "out of range" in messages[(32, "latitude", "error")]
    assert "is not one of" in messages[(35, "status", "error")]
    text = str(found[(11, "date", "error")])
    assert text.startswith(f"{path}:11:date: error:")


def test_read_events_raises_with_every_error(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - {id: a, date: 2024-08-06, place: Kursk Oblast, status: reported}
      - {id: b, date: 2024-08-06, place: Kursk Oblast, claimant: X, figure: 3, status: reported}
    """)
    with pytest.raises(EventFileError) as info:
        read_events(path, geocoder=gazetteer)
    errors = [p for p in info.value.problems if p.severity == "error"]
    assert [(p.line, p.field) for p in errors] == [(5, "claimant"), (6, "figure_unit")]
    assert "2 error(s)" in str(info.value)


def test_unknown_keys_in_the_header_are_errors(tmp_path, gazetteer):
    """A misspelt header key would otherwise drop its value silently (here the source)."""
    path = tmp_path / "header.yaml"
    path.write_text("sourse: Test Outlet\n"
                    "published: 2025-02-07\n"
                    "colour: red\n"
                    "events:\n"
                    "  - {id: a, date: 2024-08-06, place: Kursk Oblast, claimant: X, status: reported}\n",
                    encoding="utf-8")
    problems = problems_of(path, gazetteer)
    errors = [(p.line, p.field, p.message) for p in problems if p.severity == "error"]
    assert errors == [(1, "sourse", "unknown key 'sourse'; did you mean 'source'?"),
                      (3, "colour", "unknown key 'colour'; did you mean 'country'?")]
    assert str(problems[0]).startswith(f"{path}:1:sourse: error: unknown key")
    with pytest.raises(EventFileError):
        read_events(path, geocoder=gazetteer)


def test_unknown_keys_in_an_event_are_errors_and_never_reach_the_frame(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - id: a
        date: 2024-08-06
        place: Kursk Oblast
        claimant: X
        status: reported
        colour: red
      - {id: b, date: 2024-08-06, place: Sudzha, claimant: X, status: reported, figures: 3}
    """)
    gdf, problems = load_events(path, geocoder=gazetteer)
    assert [(p.line, p.field, p.severity, p.event_id) for p in problems] == [
        (10, "colour", "error", "a"), (11, "figures", "error", "b")]
    assert "unknown key 'figures'; did you mean 'figure'?" in problems[1].message
    assert "colour" not in gdf.columns and "figures" not in gdf.columns


@pytest.mark.parametrize("body, line, needle", [
    ("  - id: a\n    date: [2024\n", 7, "YAML syntax error"),
    ("  - id: a\n\tdate: 2024\n", 6, "YAML syntax error"),
    ("  - id: a\n    id: b\n    date: 2024\n", 6, "appears twice"),
])
def test_malformed_yaml_gets_a_line(tmp_path, gazetteer, body, line, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    problems = problems_of(path, gazetteer)
    assert any(p.line == line and needle in p.message for p in problems), problems


def test_not_a_mapping_and_missing_events(tmp_path, gazetteer):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "mapping" in problems_of(path, gazetteer)[0].message
    path.write_text("source: X\npublished: 2025-02-07\n", encoding="utf-8")
    assert any("'events' is required" in p.message for p in problems_of(path, gazetteer))


@pytest.mark.parametrize("field, value, needle", [
    ("figure", "'lots'", "must be number, got str"),
    ("approximate", "'maybe'", "must be boolean"),
    ("latitude", "'north'", "must be number"),
    ("kind", "battle", "'battle' is not one of"),
    ("date", "{a: 1}", "must be string or integer, got mapping"),
    ("source_url", "'javascript:alert(1)'", "http(s) URL"),
    ("id", "'<script>'", "ids may hold only"),
])
def test_wrong_types_are_precise(tmp_path, gazetteer, field, value, needle):
    event = {"id": "a", "date": "2024-08-06", "place": "Kursk Oblast", "claimant": "X",
             "status": "reported"}
    event.pop(field, None)
    lines = [f"{key}: {item}" for key, item in event.items()] + [f"{field}: {value}"]
    path = write(tmp_path, "  - " + "\n    ".join(lines) + "\n")
    problems = problems_of(path, gazetteer)
    hits = [p for p in problems if p.field == field and p.line == 4 + len(lines)]
    assert hits and needle in hits[0].message, problems
    assert len(hits) == 1  # one precise error, not a cascade


def test_hostile_strings(tmp_path, gazetteer):
    long_claim = "x" * 10_000
    path = write(tmp_path, f"""\
      - id: a
        date: 2024-08-06
        place: Kursk Oblast
        claimant: "<script>alert(1)</script>"
        claim: "bell\\a and escape\\e"
        status: reported
      - id: b
        date: 2024-08-06
        place: Kursk Oblast
        claimant: X
        claim: {long_claim}
        status: reported
    """)
    problems = problems_of(path, gazetteer)
    assert [(p.line, p.field) for p in problems if p.severity == "error"] == \
        [(9, "claim"), (15, "claim")]
    assert "control characters" in problems[0].message
    assert "10000 characters long" in problems[1].message
    assert len(problems[1].message) < 200  # the 10 kB value is not echoed back
    # markup is kept as text (escaped when rendered), not rejected or altered
    path.write_text(HEADER + "  - {id: a, date: 2024-08-06, place: Kursk Oblast, "
                    "claimant: '<script>x</script>', status: reported}\n", encoding="utf-8")
    assert read_events(path, geocoder=gazetteer).iloc[0].claimant == "<script>x</script>"


def test_geometry_repaired_with_warning_or_refused(tmp_path, gazetteer):
    bowtie = [[35.3, 51.2], [35.5, 51.4], [35.5, 51.2], [35.3, 51.4], [35.3, 51.2]]
    line = [[35.0, 51.0], [35.2, 51.2], [35.0, 51.0], [35.0, 51.0]]
    path = write(tmp_path, f"""\
      - id: bowtie
        date: 2024-08-06
        place: Sudzha
        claimant: X
        status: reported
        geometry: {json.dumps({"type": "Polygon", "coordinates": [bowtie]})}
      - id: flat
        date: 2024-08-06
        place: Sudzha
        claimant: X
        status: reported
        geometry: {json.dumps({"type": "Polygon", "coordinates": [line]})}
    """)
    gdf, problems = load_events(path, geocoder=gazetteer)
    by_id = {p.event_id: p for p in problems if p.field == "geometry"}
    assert by_id["bowtie"].severity == "warning" and "repaired" in by_id["bowtie"].message
    assert by_id["flat"].severity == "error"
    assert gdf.iloc[0].geometry.is_valid and gdf.iloc[0].geometry.geom_type == "MultiPolygon"
    assert gdf.iloc[0].geo_precision == "exact" and gdf.iloc[0].admin1_code == "RU-KRS"


def test_anchored_dates_and_unknown_anchor(tmp_path, gazetteer):
    path = write(tmp_path, """\
      - {id: start, date: 2024-08-06, place: Kursk Oblast, claimant: X, status: reported}
      - {id: later, date: two weeks after, after: start, place: Kursk Oblast, claimant: X, status: reported}
      - {id: lost, date: two weeks after, after: nothing, place: Kursk Oblast, claimant: X, status: reported}
    """)
    gdf, problems = load_events(path, geocoder=gazetteer)
    assert gdf.iloc[1].date == "2024-08-20" and gdf.iloc[1].date_text == "two weeks after"
    assert [(p.line, p.field) for p in problems] == [(7, "after")]


def test_published_schema_is_valid_and_documents_every_field():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema())
    event = schema()["$defs"]["event"]["properties"]
    docs = (Path(__file__).resolve().parents[1] / "docs" / "events.md").read_text()
    for name in [*event, *COLUMNS]:
        assert f"`{name}`" in docs, name


def test_public_api_and_error_modes(tmp_path, gazetteer):
    import warnings

    import geoevents

    path = write(tmp_path, """\
      - {id: a, date: 2024-08-06, place: Kursk Oblast, claimant: X, status: reported}
      - {id: b, date: 2024-08-06, place: Kursk Oblast, status: reported}
    """)
    with pytest.raises(EventFileError):
        geoevents.read_events(path)  # the default geocoder is the offline gazetteer
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = geoevents.read_events(path, geocoder=gazetteer, errors="warn")
    assert len(gdf) == 2 and gdf.iloc[1].claimant is None
    assert any(":6:claimant: error: missing claimant" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="errors must be"):
        read_events(path, errors="sometimes")
    out = geoevents.write_events(gdf.iloc[:1], tmp_path / "one.geojson")
    assert json.loads(out.read_text())["features"][0]["id"] == "a"
