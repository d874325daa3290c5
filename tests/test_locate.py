"""`geoevents locate` and border_distance, through the real CLI and data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.regions.borders import BorderError, border_distance


def run(*args: str):
    return CliRunner().invoke(main, ["locate", *args], catch_exceptions=False)


def test_border_distance_sudzha_and_kharkiv():
    sudzha = border_distance(51.1926, 35.2712)
    assert sudzha["country_code"] == "RU" and sudzha["border_country"] == "UA"
    assert 7 <= sudzha["border_distance_km"] <= 15
    kharkiv = border_distance(49.9935, 36.2304)
    assert kharkiv["border_country"] == "RU" and 25 <= kharkiv["border_distance_km"] <= 40
    lviv = border_distance(49.8397, 24.0297)
    assert lviv["border_country"] == "PL" and 50 <= lviv["border_distance_km"] <= 80


def test_border_distance_island_and_sea():
    iceland = border_distance(64.1466, -21.9426)
    assert iceland["country_code"] == "IS" and iceland["border_distance_km"] is None
    with pytest.raises(BorderError, match="not within"):
        border_distance(43.0, 33.0)
    with pytest.raises(BorderError, match="out of range"):
        border_distance(95.0, 33.0)


def test_locate_sudzha_json():
    result = run("Sudzha", "--from", "Kursk", "--nearby", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["name"] == "Sudzha"
    assert record["country_code"] == "RU" and record["admin1_code"] == "RU-KRS"
    assert record["admin1_name"] == "Kursk Oblast"
    assert record["border_country"] == "UA" and 7 <= record["border_distance_km"] <= 15
    # Sudzha lies south-west of Kursk, about 85-90 km away
    assert 80 <= record["from_distance_km"] <= 95
    assert 200 <= record["from_bearing_deg"] <= 250
    assert len(record["nearby"]) == 3
    assert all(set(p) == {"name", "distance_km"} for p in record["nearby"])
    distances = [p["distance_km"] for p in record["nearby"]]
    assert distances == sorted(distances) and distances[0] < 20
    for key in ("latitude", "longitude", "country_code", "admin1_code", "admin1_name",
                "border_distance_km", "border_country", "from_distance_km", "from_bearing_deg"):
        assert key in record


def test_locate_coordinates_table():
    result = run("50.4501,30.5234", "--from", "49.9935,36.2304", "--nearby", "2")
    assert result.exit_code == 0, result.output
    assert "UA-30" in result.output and "BY" in result.output
    assert "bearing" in result.output


def test_bearing_is_forward_azimuth_0_to_360():
    north = json.loads(run("51.0,30.0", "--from", "50.0,30.0", "--nearby", "0", "--format", "json").output)
    assert north["from_bearing_deg"] == pytest.approx(0.0, abs=0.5)  # due north; never 360
    west = json.loads(run("50.0,29.0", "--from", "50.0,30.0", "--nearby", "0", "--format", "json").output)
    assert 265 <= west["from_bearing_deg"] < 275


@pytest.mark.xfail(strict=True, reason="production bug: a bearing a hair west of north is rounded after "
                                       "the modulo and reported as 360.0, outside [0, 360)")
def test_bearing_just_west_of_north_is_below_360():
    record = json.loads(run("51.0,29.9999", "--from", "50.0,30.0", "--nearby", "0", "--format", "json").output)
    assert 0 <= record["from_bearing_deg"] < 360


def test_unresolvable_name_and_sea_point_fail_clearly():
    result = CliRunner().invoke(main, ["locate", "Xyzzyplonk", "--format", "json"])
    assert result.exit_code == 1 and "Xyzzyplonk" in result.output and "could not be resolved" in result.output
    result = CliRunner().invoke(main, ["locate", "43.0,33.0"])
    assert result.exit_code == 1 and "not within 25 km of any country" in result.output
    result = CliRunner().invoke(main, ["locate", "91,30"])
    assert result.exit_code == 1 and "out of range" in result.output
    result = CliRunner().invoke(main, ["locate", "Kyiv", "--from", "Xyzzyplonk"])
    assert result.exit_code == 1 and "--from" in result.output and "Xyzzyplonk" in result.output


def test_cli_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "geoevents.cli", "locate", "--help"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 and "No module named geoevents.cli.__main__" in done.stderr:
        done = subprocess.run([sys.executable, "-c", "from geoevents.cli import main; main()", "locate", "--help"],
                              capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "--nearby" in done.stdout and "--from" in done.stdout
