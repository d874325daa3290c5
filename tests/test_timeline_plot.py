"""The timeline chart draws change over the real span between snapshots, and text literally."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from matplotlib.patches import Rectangle

from geoevents.cli import main
from geoevents.plotting import literal_text
from geoevents.territory.timeline import change_bars, plot_timeline, timeline, timeline_figure

matplotlib.use("Agg")

#: irregular snapshots: two days apart, then a month, then a week and a half
DAYS = [dt.date(2024, 1, 1), dt.date(2024, 1, 3), dt.date(2024, 2, 2), dt.date(2024, 2, 13)]
EAST = [31.0, 31.1, 31.6, 31.7]   # the held box grows eastwards by these edges


def irregular_layer(controller: str = "RU") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": DAYS, "controller": controller, "source": "test", "status": "assessed"},
        geometry=[shapely.box(30, 50, east, 51) for east in EAST], crs=4326)


def bar_patches(fig) -> list[Rectangle]:
    bottom = fig.axes[1]
    return [p for p in bottom.patches if isinstance(p, Rectangle)]


def test_bars_span_the_real_intervals_at_their_daily_rate():
    table = timeline(irregular_layer())
    bars = change_bars(table)
    assert bars["days"].tolist() == [2, 30, 11]
    area = table["area_km2"].to_numpy()
    assert bars["per_day_km2"].tolist() == pytest.approx(list(np.diff(area) / [2, 30, 11]), rel=1e-12)

    with literal_text():
        fig = timeline_figure(table, bars)
    try:
        patches = bar_patches(fig)
        assert len(patches) == 3
        starts = [matplotlib.dates.num2date(p.get_x()).date() for p in patches]
        assert starts == DAYS[:3]
        assert [round(p.get_width()) for p in patches] == [2, 30, 11]
        assert [p.get_height() for p in patches] == pytest.approx(bars["per_day_km2"].tolist(), rel=1e-12)
        # the month-long bar is drawn at its average rate: its area is the month's whole change
        month = patches[1]
        assert month.get_width() * month.get_height() == pytest.approx(area[2] - area[1], rel=1e-9)
        label = fig.axes[1].get_ylabel()
        assert "per day" in label and "week" not in label
    finally:
        matplotlib.pyplot.close(fig)


def test_daily_snapshots_are_thinned_to_weekly_bars():
    days = pd.date_range("2024-01-01", "2024-01-28", freq="D").date  # Monday .. Sunday, four weeks
    layer = gpd.GeoDataFrame({"date": days, "controller": "RU"},
                             geometry=[shapely.box(30, 50, 31 + 0.01 * i, 51) for i in range(len(days))], crs=4326)
    bars = change_bars(timeline(layer))
    assert bars["start"].dt.date.tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 7), dt.date(2024, 1, 14),
                                             dt.date(2024, 1, 21)]
    assert bars["days"].tolist() == [6, 7, 7, 7]


def test_dollar_signs_in_controller_and_title_are_drawn_literally(tmp_path):
    # "$_$" is invalid mathtext: drawn with maths parsing on, it raises ValueError
    table = timeline(irregular_layer(controller="$_$"))
    out = plot_timeline(table, tmp_path / "t.png", title="Area held by $_$, $\\frac$")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with literal_text():
        fig = timeline_figure(table, change_bars(table), title="cost $_$")
    try:
        fig.canvas.draw()
        texts = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        assert {t.get_text() for t in texts} >= {"cost $_$", "held by $_$", "$_$: net change per day"}
        assert not any(t.get_parse_math() or t.get_usetex() for t in texts)
    finally:
        matplotlib.pyplot.close(fig)


def test_timeline_plot_from_the_command_line_with_a_dollar_controller(tmp_path):
    folder = tmp_path / "snaps $_$"
    folder.mkdir()
    for day, east in zip(DAYS, EAST):
        gpd.GeoDataFrame({"controller": ["$_$"]}, geometry=[shapely.box(30, 50, east, 51)], crs=4326).to_file(
            folder / f"front_{day:%Y%m%d}.geojson", driver="GeoJSON")
    png = tmp_path / "plot.png"
    result = CliRunner().invoke(main, ["timeline", str(folder), "--plot", str(png)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG"
