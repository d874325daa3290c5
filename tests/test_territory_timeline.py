"""timeline / resample_timeline / plot_timeline on hand-made layers and DeepStateMap."""

from __future__ import annotations

import datetime as dt
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.control import read_control
from geoevents.territory.timeline import plot_timeline, resample_timeline, timeline

D = dt.date


def area(geom) -> float:
    return float(geodesic_area_km2(geom)[0])


@pytest.fixture()
def growing():
    """RU grows eastward by 0.1° on each snapshot; 2024-01-04 and 2024-01-05 are missing."""
    days = [D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 6), D(2024, 1, 8)]
    geoms = [shapely.box(30, 50, 31 + 0.1 * i, 51) for i in range(len(days))]
    return gpd.GeoDataFrame({"date": days, "controller": "RU"}, geometry=geoms, crs=4326)


def test_timeline_areas_changes_and_gaps(growing):
    table = timeline(growing, chunk=2)  # chunk=2 crosses chunk borders on purpose
    expected = [area(g) for g in growing.geometry]
    assert table["area_km2"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert list(table["days"].astype("float").fillna(0)) == [0, 1, 1, 3, 2]
    strip = [area(shapely.box(31 + 0.1 * i, 50, 31.1 + 0.1 * i, 51)) for i in range(4)]
    assert table["gained_km2"].iloc[1:].to_numpy() == pytest.approx(strip, rel=1e-9)
    assert (table["lost_km2"].iloc[1:] == 0).all()
    assert table["change_km2"].iloc[1:].to_numpy() == pytest.approx(np.diff(expected), rel=1e-9)
    assert table["change_per_day_km2"].iloc[3] == pytest.approx(table["change_km2"].iloc[3] / 3)
    assert np.isnan(table["change_km2"].iloc[0])


def test_resample_by_day_week_and_month(growing):
    table = timeline(growing)
    daily = resample_timeline(table, "day")
    assert len(daily) == 8
    assert daily["snapshots"].tolist() == [1, 1, 1, 0, 0, 1, 0, 1]
    assert daily["net_change_km2"].isna().tolist() == [False, False, False, True, True, False, True, False]
    weekly = resample_timeline(table, "week")
    # 2024-01-01 is a Monday: week 1 holds 1st..7th, week 2 the 8th
    assert weekly["period_start"].tolist() == [D(2024, 1, 1), D(2024, 1, 8)]
    areas = table["area_km2"].to_numpy()
    assert weekly["net_change_km2"].to_numpy() == pytest.approx([areas[3] - areas[0], areas[4] - areas[3]])
    monthly = resample_timeline(table, "month")
    assert monthly["net_change_km2"].iloc[0] == pytest.approx(areas[-1] - areas[0])
    assert monthly["gained_km2"].iloc[0] == pytest.approx(table["gained_km2"].sum())
    with pytest.raises(ValueError, match="period must be one of"):
        resample_timeline(table, "fortnight")


def test_plot_writes_a_png(growing, tmp_path):
    path = plot_timeline(timeline(growing), tmp_path / "timeline.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_two_controllers_are_kept_apart(growing):
    other = growing.assign(controller="UA", geometry=[shapely.box(33, 50, 34, 51)] * len(growing))
    table = timeline(pd.concat([growing, other], ignore_index=True))
    ua = table[table["controller"] == "UA"]
    assert len(ua) == 5 and (ua["gained_km2"].iloc[1:] == 0).all() and (ua["change_km2"].iloc[1:] == 0).all()


@pytest.mark.slow
def test_deepstate_timeline_is_consistent_with_its_diffs(deepstate_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        control = read_control(deepstate_dir)
    first_month = control[control["date"] < D(2024, 8, 25)]  # spans the 2024-08-18/19 gap
    table = timeline(first_month)
    assert len(table) == len(first_month)
    # the net change per pair equals gained - lost, up to slivers (< 0.01 km² each) and the
    # ~1e-5 km² that new intersection vertices move geodesic edges by
    net = table["gained_km2"] - table["lost_km2"]
    tolerance = 0.01 * table["slivers_dropped"] + 1e-3
    assert (abs(net - table["change_km2"]).iloc[1:] <= tolerance.iloc[1:]).all()
    gap_row = table[table["date"] == D(2024, 8, 20)].iloc[0]
    assert gap_row["days"] == 3
    assert gap_row["change_per_day_km2"] == pytest.approx(gap_row["change_km2"] / 3)
