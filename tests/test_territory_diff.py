"""diff_control: gained/lost polygons in geodesic km², slivers, regions — exact and on DeepStateMap."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.control import layer_at, read_control
from geoevents.territory.diff import diff_control, summarize_diff, summary_record

DATA = Path(__file__).parent / "data" / "territory"
D = dt.date


def layer(*geoms, controller="RU", day=D(2024, 1, 1)) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": [day] * len(geoms), "controller": [controller] * len(geoms)}, geometry=list(geoms), crs=4326
    )


def area(geom) -> float:
    return float(geodesic_area_km2(geom)[0])


def laea_area_km2(geom) -> float:
    """Independent measure: each part projected to its own Lambert azimuthal equal-area CRS."""
    total = 0.0
    for part in shapely.get_parts(geom):
        center = part.centroid
        to_laea = Transformer.from_crs(
            "EPSG:4326", f"+proj=laea +lat_0={center.y} +lon_0={center.x} +ellps=WGS84 +units=m", always_xy=True
        )
        total += shapely.transform(part, lambda xy: np.column_stack(to_laea.transform(xy[:, 0], xy[:, 1]))).area
    return total / 1e6


def test_shifted_cell_gains_and_loses_exact_strips():
    before = layer(shapely.box(30, 50, 31, 51))
    after = layer(shapely.box(30.5, 50, 31.5, 51), day=D(2024, 1, 3))
    changes = diff_control(before, after)
    assert list(changes["change"]) == ["gained", "lost"]
    assert list(changes["date_from"]) == [D(2024, 1, 1)] * 2 and list(changes["date_to"]) == [D(2024, 1, 3)] * 2
    gained, lost = changes["area_km2"]
    assert gained == pytest.approx(area(shapely.box(31, 50, 31.5, 51)), rel=1e-9)
    assert lost == pytest.approx(area(shapely.box(30, 50, 30.5, 51)), rel=1e-9)
    summary = summarize_diff(changes).iloc[0]
    assert summary["net_km2"] == pytest.approx(gained - lost, abs=1e-9)
    assert summary["net_km2"] == pytest.approx(area(after.geometry[0]) - area(before.geometry[0]), abs=1e-6)


def test_slivers_below_the_threshold_are_dropped_and_counted():
    cell = shapely.box(30, 50, 31, 51)
    tiny = shapely.box(31, 50, 31.0005, 50.0005)  # about 0.002 km²
    changes = diff_control(layer(cell), layer(cell.union(tiny).union(shapely.box(31, 51, 31.1, 51.1))))
    assert len(changes) == 1 and changes["area_km2"].iloc[0] > 10
    summary = summarize_diff(changes).iloc[0]
    assert summary["slivers_dropped"] == 1
    assert summary["sliver_area_km2"] == pytest.approx(area(tiny), rel=1e-6)
    kept = diff_control(layer(cell), layer(cell.union(tiny)), sliver_km2=0)
    assert len(kept) == 1 and kept["area_km2"].iloc[0] == pytest.approx(area(tiny), rel=1e-6)


def test_identical_layers_give_zero_change_and_a_zero_row():
    control = read_control(DATA / "control_dated.geojson")
    first = layer_at(control, "2024-01-01")
    changes = diff_control(first, first)
    assert changes.empty
    summary = summarize_diff(changes)
    assert list(summary["controller"]) == ["RU", "UA"]
    assert summary[["gained_km2", "lost_km2", "net_km2", "slivers_dropped"]].to_numpy().sum() == 0


def test_each_controller_is_diffed_separately():
    control = read_control(DATA / "control_dated.geojson")
    changes = diff_control(layer_at(control, "2024-01-01"), layer_at(control, "2024-01-03"))
    summary = summarize_diff(changes).set_index("controller")
    assert summary.loc["RU", "gained_km2"] == pytest.approx(area(shapely.box(31, 50, 31.5, 51)), rel=1e-9)
    assert summary.loc["RU", "lost_km2"] == 0
    assert summary.loc["UA", "lost_km2"] == pytest.approx(area(shapely.box(32.25, 50, 32.5, 51)), rel=1e-9)
    with pytest.raises(ValueError, match="holds 2 dates"):
        diff_control(control, control)


def test_split_by_region_sums_to_the_total_and_keeps_the_uncovered_rest():
    regions = gpd.read_file(DATA / "regions_admin1.geojson")
    control = read_control(DATA / "control_dated.geojson")
    a, b = layer_at(control, "2024-01-01"), layer_at(control, "2024-01-03")
    total = diff_control(a, b)
    split = diff_control(a, b, by="admin1", boundaries=regions)
    ru_gained = split[(split["controller"] == "RU") & (split["change"] == "gained")]
    assert list(ru_gained["admin1_code"]) == ["ZZ-B", None]
    assert ru_gained["area_km2"].iloc[0] == pytest.approx(area(shapely.box(31, 50, 31.25, 51)), rel=1e-9)
    # cutting a 0.5° edge at 31.25° adds a vertex ON the parallel where the uncut geodesic edge
    # bulged north of it: ~4e-6 of the area on this coarse box, nil on densely digitised fronts
    for (controller, change), part in split.groupby(["controller", "change"]):
        whole = total[(total["controller"] == controller) & (total["change"] == change)]["area_km2"].sum()
        assert part["area_km2"].sum() == pytest.approx(whole, rel=1e-5)
    # pieces keep the number of the part they were cut from; parts are counted once
    assert ru_gained["part"].nunique() == 1
    assert summarize_diff(split.drop(columns=["admin1_code", "admin1_name"]))["gained_parts"].tolist() == [1, 0]
    record = summary_record(split)
    assert {row["admin1_code"] for row in record["regions"]} == {"ZZ-B", None}
    with pytest.raises(ValueError, match="by must be"):
        diff_control(a, b, by="admin2")


# ---------------------------------------------------------------- DeepStateMap


@pytest.fixture(scope="module")
def deepstate_pair(deepstate_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        control = read_control(deepstate_dir, dates=["2024-07-08", "2025-02-07"])
    return layer_at(control, "2024-07-08"), layer_at(control, "2025-02-07")


def test_deepstate_area_matches_an_independent_equal_area_projection(deepstate_pair):
    geom = deepstate_pair[1].geometry.iloc[0]
    geodesic = area(geom)
    independent = laea_area_km2(geom)
    assert 100_000 < geodesic < 130_000
    assert geodesic == pytest.approx(independent, rel=1e-3)


def test_deepstate_change_matches_areas_and_identical_snapshots_do_not_change(deepstate_pair):
    first, second = deepstate_pair
    changes = diff_control(first, second)
    summary = summarize_diff(changes).iloc[0]
    assert summary["gained_km2"] > 1000 and summary["net_km2"] > 0
    # net change equals the difference of areas, up to the dropped slivers
    held_change = area(second.geometry.iloc[0]) - area(first.geometry.iloc[0])
    assert summary["net_km2"] == pytest.approx(held_change, abs=summary["sliver_area_km2"] + 1e-6)
    for part in changes.geometry:
        assert laea_area_km2(part) > 0
    same = summarize_diff(diff_control(second, second)).iloc[0]
    assert same["gained_km2"] == same["lost_km2"] == same["slivers_dropped"] == 0


@pytest.fixture(scope="module")
def admin1():
    """The shipped boundaries: part of the package, so a failure to read them is a failure."""
    from geoevents.regions.boundaries import read_boundaries

    regions = read_boundaries("admin1")
    assert {"UA-14", "UA-63"} <= set(regions["admin1_code"])
    return regions


def test_deepstate_change_by_oblast(deepstate_pair, admin1):
    first, second = deepstate_pair
    total = diff_control(first, second)
    split = diff_control(first, second, by="admin1", boundaries=admin1, border_noise=False)
    net = summarize_diff(split).set_index("admin1_code")["net_km2"]
    assert net["UA-14"] > 0, "Donetsk Oblast: RU-held area grew from July 2024 to February 2025"
    assert net["UA-63"] > 0, "Kharkiv Oblast: RU-held area grew from July 2024 to February 2025"
    for change in ("gained", "lost"):
        whole = total.loc[total["change"] == change, "area_km2"].sum()
        parts = split.loc[split["change"] == change, "area_km2"].sum()
        assert parts == pytest.approx(whole, rel=1e-6)
    # most of the change lies inside some oblast, not in the unassigned rest
    assert split.loc[split["admin1_code"].notna(), "area_km2"].sum() > 0.95 * total["area_km2"].sum()
