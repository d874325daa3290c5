"""`geoevents diff`, `timeline` and `check-claims` through the real click entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.territory.area import geodesic_area_km2

DATA = Path(__file__).parent / "data" / "territory"


def area(geom) -> float:
    return float(geodesic_area_km2(geom)[0])


@pytest.fixture()
def snapshots(tmp_path) -> Path:
    """Four daily snapshots (2024-01-04 missing); RU grows by a 0.1° strip per snapshot."""
    folder = tmp_path / "front"
    folder.mkdir()
    for i, day in enumerate(("20240101", "20240102", "20240103", "20240105")):
        gpd.GeoDataFrame(geometry=[shapely.box(30, 50, 31 + 0.1 * i, 51)], crs=4326).to_file(
            folder / f"front_{day}.geojson", driver="GeoJSON"
        )
    return folder


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_diff_two_files_json():
    result = run("diff", DATA / "legacy_crs_20240105.geojson", DATA / "bowtie_20240102.geojson", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    (ru,) = record["controllers"]
    cell = area(shapely.box(30, 50, 31, 51))
    assert record["date_from"] == "2024-01-05" and record["date_to"] == "2024-01-02"
    assert ru["gained_km2"] == 0 and ru["lost_km2"] == pytest.approx(cell / 2, rel=2e-3)
    assert "repaired 1 invalid geometry" in result.stderr


def test_diff_folder_with_dates_writes_geojson_and_csv(snapshots, tmp_path):
    out = tmp_path / "changes.geojson"
    result = run("diff", snapshots, "--from", "2024-01-01", "--to", "2024-01-05", "-o", out)
    assert result.exit_code == 0, result.output
    assert "Territory change 2024-01-01 → 2024-01-05" in result.stdout
    assert "2024-01-04" in result.stderr  # the missing snapshot is reported
    written = gpd.read_file(out)
    assert list(written["change"]) == ["gained"]
    assert written["area_km2"].iloc[0] == pytest.approx(area(shapely.box(31, 50, 31.3, 51)), rel=1e-9)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    csv = tmp_path / "changes.csv"
    assert run("diff", snapshots, "--from", "2024-01-01", "--to", "2024-01-02", "-o", csv).exit_code == 0
    table = pd.read_csv(csv)
    assert list(table.columns) == ["part", "controller", "change", "date_from", "date_to", "area_km2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changes.csv", "changes.geojson", "front"]


def test_diff_by_region_with_own_boundaries():
    result = run("diff", DATA / "control_dated.geojson", "--from", "2024-01-01", "--to", "2024-01-03",
                 "--by", "admin1", "--boundaries", DATA / "regions_admin1.geojson", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    regions = {(r["controller"], r["admin1_code"]): r for r in record["regions"]}
    assert set(regions) == {("RU", "ZZ-B"), ("RU", None), ("UA", None)}
    assert regions[("RU", "ZZ-B")]["gained_km2"] == pytest.approx(area(shapely.box(31, 50, 31.25, 51)), rel=1e-9)
    totals = {r["controller"]: r for r in record["controllers"]}
    ru_parts = sum(r["gained_km2"] for (c, _), r in regions.items() if c == "RU")
    assert ru_parts == pytest.approx(totals["RU"]["gained_km2"], rel=1e-5)
    table = run("diff", DATA / "control_dated.geojson", "--from", "2024-01-01", "--to", "2024-01-03",
                "--by", "admin1", "--boundaries", DATA / "regions_admin1.geojson")
    assert table.exit_code == 0 and "By region" in table.stdout and "Region B" in table.stdout


def test_diff_bad_input_fails_cleanly(snapshots, tmp_path):
    missing = run("diff", snapshots, "--from", "2024-01-01", "--to", "2024-01-04")
    assert missing.exit_code == 1
    assert "no snapshot for 2024-01-04 (nearest: 2024-01-03 before, 2024-01-05 after)" in missing.stderr
    no_dates = run("diff", snapshots)
    assert no_dates.exit_code == 2 and "--from and --to" in no_dates.stderr
    layer = DATA / "control_dated.geojson"
    two_dates = run("diff", layer, layer, "--from", "2024-01-01")
    assert two_dates.exit_code == 2 and "holds 2 dates (2024-01-01..2024-01-03); pick one with --to" in two_dates.stderr
    bad = tmp_path / "changes.xlsx"
    wrong = run("diff", snapshots, "--from", "2024-01-01", "--to", "2024-01-02", "-o", bad)
    assert wrong.exit_code == 2 and "unsupported output type .xlsx" in wrong.stderr
    assert not bad.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["front"]


def test_timeline_writes_csv_png_and_json(snapshots, tmp_path):
    csv, png = tmp_path / "timeline.csv", tmp_path / "timeline.png"
    result = run("timeline", snapshots, "-o", csv, "--plot", png, "--period", "week")
    assert result.exit_code == 0, result.output
    assert "Net change per week" in result.stdout
    table = pd.read_csv(csv)
    assert table["date"].tolist() == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-05"]
    assert table["days"].tolist()[1:] == [1, 1, 2]
    assert table["gained_km2"].iloc[3] == pytest.approx(area(shapely.box(31.2, 50, 31.3, 51)), rel=1e-9)
    assert png.read_bytes()[:4] == b"\x89PNG"
    as_json = json.loads(run("timeline", snapshots, "--format", "json", "--period", "day").stdout)
    assert [p["snapshots"] for p in as_json["periods"]] == [1, 1, 1, 0, 1]
    assert as_json["gaps"] == [{"after": "2024-01-03", "before": "2024-01-05", "missing": 1}]
    assert as_json["dates"][0]["change_km2"] is None  # NaN became null: valid JSON


@pytest.mark.slow
def test_check_claims_cli_against_known_areas(snapshots, tmp_path):
    """Verdicts and areas checked against values worked out from the geometry, not against
    the function the command calls. On 2024-01-05 RU holds the box 30..31.3 E x 50..51 N;
    the claims are located at 50.5 N 30.5 E, in the city of Kyiv (UA-30), so they are about
    the part of the box inside the city's shipped outline."""
    from geoevents.regions.boundaries import read_boundaries

    kyiv = read_boundaries("admin1", ["UA"]).set_index("admin1_code").loc["UA-30", "geometry"]
    held = area(shapely.intersection(shapely.box(30, 50, 31.3, 51), kyiv))
    assert 500 < held < 839  # most of the city's 839 km²
    events = tmp_path / "claims.csv"
    pd.DataFrame([
        {"id": "held", "date": "2024-01-05", "kind": "control", "actor": "Russian forces",
         "claimant": "test", "claim": "Russia holds part of the city", "figure": round(held), "figure_unit": "km2",
         "latitude": 50.5, "longitude": 30.5},
        {"id": "double", "date": "2024-01-05", "kind": "control", "actor": "Russian forces",
         "claimant": "test", "claim": "Russia holds twice as much", "figure": round(2 * held), "figure_unit": "km2",
         "latitude": 50.5, "longitude": 30.5},
        {"id": "ua", "date": "2024-01-05", "kind": "control", "actor": "Ukrainian forces",
         "claimant": "test", "claim": "Ukraine holds an area", "figure": 10, "figure_unit": "km2",
         "latitude": 50.5, "longitude": 30.5},
        {"id": "troops", "date": "2024-01-05", "kind": "deployment", "actor": "Russian forces",
         "claimant": "test", "claim": "troops moved", "figure": 1000, "figure_unit": "troops",
         "latitude": 50.5, "longitude": 30.5},
    ]).to_csv(events, index=False)
    out = tmp_path / "verdicts.json"
    result = run("check-claims", events, "--control", snapshots, "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == json.loads(out.read_text())
    assert [row["id"] for row in rows] == ["held", "double", "ua"]  # the troop figure is no area claim
    held_row, double_row, ua_row = rows
    assert [row["verdict"] for row in rows] == ["consistent", "overstated", "no data"]
    assert held_row["measured_km2"] == pytest.approx(held, rel=1e-9)
    assert held_row["claimed_km2"] == round(held) and held_row["ratio"] == pytest.approx(round(held) / held)
    assert double_row["ratio"] == pytest.approx(2.0, rel=1e-3)
    assert ua_row["measured_km2"] is None and "controller UA" in ua_row["reason"]
    assert held_row["layer_date_before"] == held_row["layer_date_after"] == "2024-01-05"
    assert (held_row["region"], held_row["controller"], held_row["measure"]) == ("UA-30", "RU", "held")
    table = run("check-claims", events, "--control", snapshots)
    assert table.exit_code == 0 and "Area claims vs control layer" in table.stdout
    assert "overstated" in table.stdout and "consistent" in table.stdout


def test_cli_module_imports_stay_light():
    code = "import sys, geoevents.cli.territory; print(sorted(m for m in ('geopandas','pandas','shapely','matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
