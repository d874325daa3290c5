"""`geoevents geocode` command: inputs, formats, exit statuses."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoevents.cli import main


def run(args, input=None):
    return CliRunner().invoke(main, ["geocode", *args], input=input, catch_exceptions=False)


def test_table_default():
    result = run(["Kursk", "Kharkiv Oblast"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["QUERY", "NAME", "ADMIN1"]
    assert "RU-KRS" in lines[1] and "Kursk Oblast" in lines[1]
    assert "UA-63" in lines[2] and "admin1" in lines[2]


def test_json_contract():
    result = run(["Kursk", "Mykolaivka", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["query"] for d in data] == ["Kursk", "Mykolaivka"]
    assert data[0]["admin1_code"] == "RU-KRS" and data[0]["error"] is None
    assert data[1]["ambiguous"] is True and len(data[1]["candidates"]) >= 5
    for field in ("name", "latitude", "longitude", "country_code", "admin1_name", "feature",
                  "population", "geonames_id", "score", "source"):
        assert field in data[0]


def test_unresolved_prints_the_rest_and_exits_3():
    result = run(["Kursk", "Qwxzvbnmplk", "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data[0]["name"] == "Kursk"
    assert data[1]["error"] and data[1]["latitude"] is None
    assert "Qwxzvbnmplk" in result.stderr


def test_geojson():
    result = run(["Sudzha", "Qwxzvbnmplk", "--format", "geojson"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["type"] == "FeatureCollection"
    first, second = data["features"]
    assert first["geometry"]["type"] == "Point"
    lon, lat = first["geometry"]["coordinates"]
    assert 35 < lon < 36 and 51 < lat < 52
    assert first["properties"]["admin1_code"] == "RU-KRS"
    assert second["geometry"] is None and second["properties"]["error"]


def test_csv_output_and_output_file(tmp_path):
    target = tmp_path / "out.csv"
    result = run(["Kursk", "Mykolaivka", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["admin1_code"] == "RU-KRS"
    assert rows[1]["ambiguous"] == "true" and ";" in rows[1]["candidates"]
    assert not [p for p in tmp_path.iterdir() if p.name != "out.csv"]  # no temp files left


# Known coordinates (north, east): a swap of latitude and longitude, or of the column names,
# puts these cities hundreds of kilometres away, in another region or country.
KNOWN = {"Kharkiv": (49.99, 36.23), "Kursk": (51.73, 36.19), "Odesa": (46.48, 30.73), "Sudzha": (51.19, 35.27)}


def test_csv_latitude_and_longitude_are_the_right_way_round(tmp_path):
    target = tmp_path / "places.csv"
    assert run([*KNOWN, "--format", "csv", "-o", str(target)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["query"] for r in rows] == list(KNOWN)
    for row in rows:
        north, east = KNOWN[row["query"]]
        assert abs(float(row["latitude"]) - north) < 0.05, row
        assert abs(float(row["longitude"]) - east) < 0.05, row
    # and a GIS tool reading the file by column name puts Kharkiv inside Kharkiv Oblast
    import pyogrio
    import shapely

    from geoevents.regions.boundaries import read_boundaries

    frame = pyogrio.read_dataframe(target, X_POSSIBLE_NAMES="longitude", Y_POSSIBLE_NAMES="latitude")
    oblast = read_boundaries("admin1", ["UA"]).set_index("admin1_code").loc["UA-63", "geometry"]
    assert shapely.contains(oblast, frame.geometry.iloc[0])


def test_every_format_puts_kharkiv_in_the_same_place():
    """table, json, geojson and csv all carry the same coordinates, each the right way round."""
    north, east = KNOWN["Kharkiv"]
    as_json = json.loads(run(["Kharkiv", "--format", "json"]).stdout)[0]
    assert abs(as_json["latitude"] - north) < 0.05 and abs(as_json["longitude"] - east) < 0.05
    feature = json.loads(run(["Kharkiv", "--format", "geojson"]).stdout)["features"][0]
    assert feature["geometry"]["coordinates"] == [as_json["longitude"], as_json["latitude"]]
    row = next(csv.DictReader(io.StringIO(run(["Kharkiv", "--format", "csv"]).stdout)))
    assert (float(row["latitude"]), float(row["longitude"])) == (as_json["latitude"], as_json["longitude"])
    header, line = run(["Kharkiv"]).stdout.splitlines()[:2]
    cell = {name: line[header.index(name):].split()[0] for name in ("LAT", "LON")}  # aligned columns
    assert cell == {"LAT": f"{as_json['latitude']:.4f}", "LON": f"{as_json['longitude']:.4f}"}


def test_names_from_stdin_and_file(tmp_path):
    result = run(["--format", "json"], input="Kursk\n\nСуджа\n")
    assert [d["name"] for d in json.loads(result.stdout)] == ["Kursk", "Sudzha"]
    result = run(["-", "--format", "json"], input="Sumy\n")  # a lone '-' also means stdin
    assert [d["admin1_code"] for d in json.loads(result.stdout)] == ["UA-59"]
    names = tmp_path / "names.txt"
    names.write_text("Kharkiv\nOdesa\n", encoding="utf-8")
    result = run(["--file", str(names), "--format", "json"])
    assert [d["admin1_code"] for d in json.loads(result.stdout)] == ["UA-63", "UA-51"]


def test_csv_column_from_file_and_stdin(tmp_path):
    table = tmp_path / "events.csv"
    table.write_text("id,place\n1,Sudzha\n2,Kursk Oblast\n", encoding="utf-8")
    result = run(["--file", str(table), "--column", "place", "--format", "json"])
    assert [d["admin1_code"] for d in json.loads(result.stdout)] == ["RU-KRS", "RU-KRS"]
    result = run(["--file", "-", "--column", "place", "--format", "json"], input=table.read_text())
    assert [(d["query"], d["name"], d["admin1_code"]) for d in json.loads(result.stdout)] == [
        ("Sudzha", "Sudzha", "RU-KRS"), ("Kursk Oblast", "Kursk Oblast", "RU-KRS")]
    result = run(["--file", str(table), "--column", "nope"])
    assert result.exit_code == 2 and "nope" in result.stderr and "place" in result.stderr


def test_unresolved_names_from_a_file_say_where(tmp_path):
    table = tmp_path / "events.csv"
    table.write_text("id,place\n1,Sudzha\n2,Qwxzvbnmplk\n3,\n", encoding="utf-8")
    result = run(["--file", str(table), "--column", "place", "--format", "json"])
    assert result.exit_code == 3
    assert f"{table} line 3, column 'place'" in result.stderr
    assert f"{table} line 4, column 'place'" in result.stderr and "empty query" in result.stderr
    lines = tmp_path / "names.txt"
    lines.write_text("Kursk\n\nQwxzvbnmplk\n", encoding="utf-8")
    result = run(["--file", str(lines)])
    assert result.exit_code == 3 and f"{lines} line 3" in result.stderr


def test_hints():
    result = run(["Mykolaivka", "--within", "UA-51", "--format", "json"])
    assert json.loads(result.stdout)[0]["admin1_code"] == "UA-51"
    result = run(["Mykolaivka", "--near", "Sloviansk", "--format", "json"])
    assert json.loads(result.stdout)[0]["admin1_code"] == "UA-14"
    result = run(["Odessa", "--country", "US", "--format", "json"])
    assert json.loads(result.stdout)[0]["country_code"] == "US"


def test_within_restricts_every_name_to_the_region(tmp_path):
    """--within is applied: the same village name lands in whichever region is given,
    a name with no place in that region is an error, and names from a file get it too."""
    def within(region, *names):
        return json.loads(run([*names, "--within", region, "--format", "json"]).stdout)

    assert [(r["name"], r["admin1_code"]) for r in within("UA-14", "Mykolaivka")] == [("Mykolaivka", "UA-14")]
    odesa = within("Odesa Oblast", "Mykolaivka")[0]
    assert odesa["admin1_code"] == "UA-51" and all(c["admin1_code"] == "UA-51" for c in odesa["candidates"])
    unconstrained = json.loads(run(["Mykolaivka", "--format", "json"]).stdout)[0]
    assert len({c["admin1_code"] for c in unconstrained["candidates"]}) > 1
    outside = run(["Kursk", "Pokrovsk", "--within", "UA-14", "--format", "json"])
    assert outside.exit_code == 3
    kursk, pokrovsk = json.loads(outside.stdout)
    assert kursk["latitude"] is None and "within UA-14" in kursk["error"]
    assert (pokrovsk["name"], pokrovsk["admin1_code"]) == ("Pokrovsk", "UA-14")
    names = tmp_path / "names.txt"
    names.write_text("Mykolaivka\nPokrovsk\n", encoding="utf-8")
    from_file = json.loads(run(["--file", str(names), "--within", "UA-14", "--format", "json"]).stdout)
    assert [r["admin1_code"] for r in from_file] == ["UA-14", "UA-14"]
    assert run(["Pokrovsk", "--within", "UA-51"]).exit_code == 3  # Pokrovsk is not in Odesa Oblast


@pytest.mark.parametrize("args, message", [
    ([], "give place names as arguments, with --file FILE, or on stdin"),
    (["Kursk", "--country", "Russia"], "use ISO 3166-1 alpha-2 codes such as UA or RU, not RUSSIA"),
    (["Kursk", "--within", "Nowhere Qqq"], "unknown region 'Nowhere Qqq'"),
    (["Kursk", "--near", "95,200"], "coordinates out of range: '95,200'"),
    (["Kursk", "--format", "xml"], "'xml' is not one of 'table', 'json', 'geojson', 'csv'"),
    (["Kursk", "--provider", "nominatim"], "--provider nominatim needs --user-agent"),
    (["--column", "place"], "stdin has no column 'place'"),
])
def test_bad_usage_exits_2(args, message):
    result = CliRunner().invoke(main, ["geocode", *args], input="")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_garbage_names_are_reported_not_crashes():
    result = run(["--format", "json", "x" * 10_000, "\x01\x02", "🙂", "Kursk"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [bool(d["error"]) for d in data] == [True, True, True, False]


def test_missing_output_folder_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["geocode", "Kursk", "-o", str(tmp_path / "no" / "such" / "out.json")])
    assert result.exit_code == 2
    assert str(tmp_path / "no" / "such") in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_real_process_with_stdin():
    env = dict(os.environ)
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("geoevents")), "geocode", "--format", "json"],
        input="Kursk\nQwxzvbnmplk\n", capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 3, proc.stderr
    data = json.loads(proc.stdout)
    assert data[0]["admin1_code"] == "RU-KRS" and data[1]["error"]


def test_online_provider_wiring_reports_unreachable_provider(tmp_path, monkeypatch):
    """--provider nominatim goes through geoevents.places.online (port 9 refuses)."""
    monkeypatch.setenv("GEOEVENTS_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(main, [
        "geocode", "Kursk", "--provider", "nominatim", "--user-agent", "geoevents-tests/1.0 (tests@example.org)",
        "--provider-url", "http://127.0.0.1:9", "--min-delay", "0", "--timeout", "2", "--format", "json",
    ])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data[0]["error"] and data[0]["source"] == "nominatim"


def test_progress_only_on_long_lists():
    many = "\n".join(["Kursk", "Sumy"] * 150)
    result = run(["--format", "json"], input=many)
    assert result.exit_code == 0
    assert [r["admin1_code"] for r in json.loads(result.stdout)] == ["RU-KRS", "UA-59"] * 150
    assert "geocoding" in result.stderr
    few = run(["--format", "json"], input="Kursk\nSumy\n")
    assert "geocoding" not in few.stderr


def test_unwritable_cache_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    env = dict(os.environ, GEOEVENTS_CACHE_DIR=str(blocker / "cache"))
    proc = subprocess.run([str(Path(sys.executable).with_name("geoevents")), "geocode", "Kursk"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1
    assert "GEOEVENTS_CACHE_DIR" in proc.stderr and "Traceback" not in proc.stderr
