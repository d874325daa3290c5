"""Reading control layers: dated folders, multi-date files, repairs, gaps and bad input."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pytest
import shapely

from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.control import (
    ControlLayerError,
    InvalidGeometryWarning,
    MissingDatesWarning,
    date_from_name,
    find_gaps,
    layer_at,
    read_control,
)

DATA = Path(__file__).parent / "data" / "territory"
D = dt.date


def test_date_from_name_formats():
    assert date_from_name("deepstatemap_data_20250207.geojson") == D(2025, 2, 7)
    assert date_from_name("2025-02-07.geojson") == D(2025, 2, 7)
    assert date_from_name("front_2025_02_07.gpkg") == D(2025, 2, 7)
    assert date_from_name("v2_front_20251399.geojson") is None  # month 13 is no date
    assert date_from_name("front.geojson") is None


def test_multi_date_file_dissolves_per_date_and_controller():
    layer = read_control(DATA / "control_dated.geojson")
    assert list(layer.columns) == ["date", "controller", "source", "status", "geometry"]
    assert [(r.date, r.controller, r.status) for r in layer.itertuples()] == [
        (D(2024, 1, 1), "RU", "assessed"), (D(2024, 1, 1), "UA", "claimed"),
        (D(2024, 1, 3), "RU", "assessed"), (D(2024, 1, 3), "UA", "claimed"),
    ]
    assert layer.crs.to_epsg() == 4326
    # the two halves of RU's first day became one polygon of the full 1°x1° cell
    first = layer.geometry.iloc[0]
    assert first.geom_type == "Polygon"
    assert shapely.equals(first.normalize(), shapely.box(30, 50, 31, 51).normalize())
    assert set(layer["source"]) == {"hand-made"}
    # two dates only: no usual step to measure gaps against
    assert layer.attrs["gaps"] == []


def test_folder_reports_missing_days_and_accepts_legacy_crs(tmp_path):
    folder = tmp_path / "snapshots"
    folder.mkdir()
    source = DATA / "legacy_crs_20240105.geojson"
    for day in ("20240105", "20240106", "20240107", "20240110", "20240111"):
        shutil.copy(source, folder / f"front_{day}.geojson")
    (folder / "README.md").write_text("not a layer")
    with pytest.warns(MissingDatesWarning, match=r"2024-01-08\.\.2024-01-09"):
        layer = read_control(folder, controller="RU", source="test")
    assert len(layer) == 5
    assert layer.attrs["gaps"] == [{"after": D(2024, 1, 7), "before": D(2024, 1, 10), "missing": 2}]
    assert set(layer["controller"]) == {"RU"} and set(layer["source"]) == {"test"}
    cell = geodesic_area_km2(shapely.box(30, 50, 31, 51))[0]
    assert geodesic_area_km2(layer.geometry) == pytest.approx([cell] * 5, rel=1e-12)
    # reading two chosen dates; an absent date names its neighbours
    two = read_control(folder, dates=["2024-01-05", D(2024, 1, 11)])
    assert list(two["date"]) == [D(2024, 1, 5), D(2024, 1, 11)]
    with pytest.raises(ControlLayerError, match=r"2024-01-08 \(nearest: 2024-01-07 before, 2024-01-10 after\)"):
        read_control(folder, dates=["2024-01-08"])
    with pytest.raises(ControlLayerError, match="nearest"):
        layer_at(layer, "2024-01-09")


def test_invalid_geometry_is_repaired_with_a_warning():
    with pytest.warns(InvalidGeometryWarning, match="repaired 1 invalid geometry"):
        layer = read_control(DATA / "bowtie_20240102.geojson")
    geom = layer.geometry.iloc[0]
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    # two triangles, each a quarter of the cell
    cell = geodesic_area_km2(shapely.box(30, 50, 31, 51))[0]
    assert geodesic_area_km2(geom)[0] == pytest.approx(cell / 2, rel=2e-3)


def test_bad_input_names_the_file(tmp_path):
    undated = tmp_path / "front.geojson"
    shutil.copy(DATA / "bowtie_20240102.geojson", undated)
    with pytest.raises(ControlLayerError, match=r"front\.geojson.*no `date` property"):
        read_control(undated)
    folder = tmp_path / "dir"
    folder.mkdir()
    shutil.copy(undated, folder / "front.geojson")
    with pytest.raises(ControlLayerError, match=r"front\.geojson: error: no date in the file name"):
        read_control(folder)
    broken = tmp_path / "broken_20240101.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(ControlLayerError, match=r"broken_20240101\.geojson:.*error: JSON syntax error"):
        read_control(broken)
    with pytest.raises(ControlLayerError, match="status must be one of"):
        read_control(DATA / "control_dated.geojson", status="rumoured")
    with pytest.raises(ControlLayerError, match="no such file"):
        read_control(tmp_path / "absent")


def test_find_gaps_uses_the_usual_step():
    weekly = [D(2024, 1, 1) + dt.timedelta(days=7 * i) for i in (0, 1, 2, 4, 5)]
    assert find_gaps(weekly) == [{"after": D(2024, 1, 15), "before": D(2024, 1, 29), "missing": 1}]
    assert find_gaps([D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)]) == []


@pytest.mark.slow
def test_deepstate_folder_reads_every_snapshot_and_reports_missing_days(deepstate_dir):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = read_control(deepstate_dir)
    assert len(layer) == len(list(deepstate_dir.glob("deepstatemap_data_*.geojson"))) > 250
    assert layer["date"].is_monotonic_increasing and layer["date"].is_unique
    missing = [
        gap["after"] + dt.timedelta(days=i + 1) for gap in layer.attrs["gaps"] for i in range(gap["missing"])
    ]
    expected = sorted(
        set(D(2024, 7, 8) + dt.timedelta(days=i) for i in range((layer["date"].max() - D(2024, 7, 8)).days))
        - set(layer["date"])
    )
    assert missing == expected and len(missing) > 0
    assert any(issubclass(w.category, MissingDatesWarning) for w in caught)
    assert shapely.is_valid(layer.geometry.to_numpy()).all()
