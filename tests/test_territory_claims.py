"""check_claims: claimed area figures against hand-made control layers with known areas."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.claims import check_claims, controller_of, layer_coverage
from geoevents.territory.control import read_control

DATA = Path(__file__).parent / "data" / "territory"


def area(geom) -> float:
    return float(geodesic_area_km2(geom)[0])


@pytest.fixture(scope="module")
def control():
    return read_control(DATA / "control_dated.geojson")


@pytest.fixture(scope="module")
def admin1():
    return gpd.read_file(DATA / "regions_admin1.geojson")


@pytest.fixture(scope="module")
def admin0():
    return gpd.read_file(DATA / "regions_admin0.geojson")


def claim(id, date, figure, *, unit="km2", actor=None, controller=None, admin1=None, country="ZZ", kind="control"):
    return {"id": id, "date": date, "figure": figure, "figure_unit": unit, "actor": actor,
            "controller": controller, "admin1_code": admin1, "country_code": country, "kind": kind,
            "claimant": "test"}


def test_verdicts_on_known_areas(control, admin1, admin0):
    # RU inside ZZ-A on both dates (measured on the dissolved polygon: the vertices the two
    # halves left at 30.5° sit on the parallels, where the box's own edges bulge north)
    ru_a = area(control.geometry.iloc[0])
    ru_a3 = area(shapely.box(30, 50, 31, 51))  # 2024-01-03's larger box cut at 31°: no 30.5° vertices
    ru_b = area(shapely.box(31, 50, 31.25, 51))  # RU inside ZZ-B on 2024-01-03
    ua_1, ua_3 = area(shapely.box(32, 50, 32.5, 51)), area(shapely.box(32, 50, 32.25, 51))
    claims = pd.DataFrame([
        claim("exact", "2024-01-01", ru_a, controller="RU", admin1="ZZ-A"),
        claim("double", "2024-01-03", 2 * ru_a3, actor="Russian armed forces", admin1="ZZ-A"),
        claim("half", "2024-01-03", 0.5 * ru_b, controller="RU", admin1="ZZ-B"),
        claim("between", "2024-01-02", area(shapely.box(32, 50, 32.4, 51)), actor="Ukrainian army"),
        claim("hectares", "2024-01-01", ru_a * 100, unit="ha", controller="RU", admin1="ZZ-A"),
        claim("advance", "2024-01-01/2024-01-03", ru_b, actor="Russian forces", admin1="ZZ-B", kind="advance"),
        claim("belarus", "2024-01-01", 10, controller="BY", admin1="ZZ-A"),
        claim("elsewhere", "2024-01-01", 10, controller="RU", admin1="YY-C", country="YY"),
        claim("too-late", "2024-03-01", ru_a, controller="RU", admin1="ZZ-A"),
        claim("nobody", "2024-01-01", ru_a, admin1="ZZ-A"),
        claim("troops", "2024-01-01", 5000, unit="troops", controller="RU"),
    ])
    result = check_claims(claims, control, boundaries=admin1, admin0=admin0, tolerance=0.15).set_index("id")
    assert "troops" not in result.index  # not an area figure
    verdicts = result["verdict"].to_dict()
    assert verdicts == {
        "exact": "consistent", "double": "overstated", "half": "understated", "between": "consistent",
        "hectares": "consistent", "advance": "consistent", "belarus": "no data", "elsewhere": "no data",
        "too-late": "no data", "nobody": "no data",
    }
    assert result.loc["exact", "ratio"] == pytest.approx(1.0, rel=1e-9)
    assert result.loc["double", "ratio"] == pytest.approx(2.0, rel=1e-9)
    assert result.loc["half", "measured_km2"] == pytest.approx(ru_b, rel=1e-9)
    between = result.loc["between"]
    assert (between["layer_date_before"], between["layer_date_after"]) == ("2024-01-01", "2024-01-03")
    assert between["measured_km2"] == pytest.approx((ua_1 + ua_3) / 2, rel=1e-9)
    assert between["region"] == "ZZ" and between["controller"] == "UA"
    assert result.loc["advance", "measure"] == "gained"
    assert result.loc["advance", "measured_km2"] == pytest.approx(ru_b, rel=1e-9)
    assert "no polygons for controller BY" in result.loc["belarus", "reason"]
    assert "not in YY" in result.loc["elsewhere", "reason"]
    assert "within 7 days" in result.loc["too-late", "reason"]
    assert "whose control" in result.loc["nobody", "reason"]
    assert result.loc["hectares", "claimed_km2"] == pytest.approx(ru_a, rel=1e-12)


def test_tolerance_decides_between_consistent_and_overstated(control, admin1, admin0):
    ru_a = area(shapely.box(30, 50, 31, 51))
    claims = pd.DataFrame([claim("x", "2024-01-01", 1.10 * ru_a, controller="RU", admin1="ZZ-A")])
    loose = check_claims(claims, control, boundaries=admin1, admin0=admin0, tolerance=0.15)
    strict = check_claims(claims, control, boundaries=admin1, admin0=admin0, tolerance=0.05)
    assert loose["verdict"].iloc[0] == "consistent" and strict["verdict"].iloc[0] == "overstated"
    with pytest.raises(ValueError, match="tolerance"):
        check_claims(claims, control, boundaries=admin1, admin0=admin0, tolerance=1.5)


def test_geodataframe_in_geodataframe_out(control, admin1, admin0):
    claims = gpd.GeoDataFrame(
        [claim("pt", "2024-01-01", 100, controller="RU", admin1="ZZ-A")],
        geometry=[shapely.Point(30.5, 50.5)], crs=4326,
    )
    result = check_claims(claims, control, boundaries=admin1, admin0=admin0)
    assert isinstance(result, gpd.GeoDataFrame) and result.geometry.iloc[0].equals(shapely.Point(30.5, 50.5))


def test_coverage_and_controller_inference(control, admin0):
    assert layer_coverage(control, admin0) == {"RU": {"ZZ"}, "UA": {"ZZ"}}
    assert controller_of(pd.Series({"actor": "Ukrainian armed forces"})) == "UA"
    assert controller_of(pd.Series({"actor": "the Kremlin"})) == "RU"
    assert controller_of(pd.Series({"actor": "RU"})) == "RU"
    assert controller_of(pd.Series({"actor": "Wagner", "controller": "ru"})) == "RU"
    assert controller_of(pd.Series({"actor": "unknown unit"})) is None


def test_deepstate_claim_about_ru_held_area_is_measurable(deepstate_dir, control):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = read_control(deepstate_dir, dates=["2025-02-06", "2025-02-07", "2025-02-08"])
    held = area(layer[layer["date"] == dt.date(2025, 2, 7)].geometry.iloc[0])
    claims = pd.DataFrame([
        # whole layer: RU-held area of Ukraine on that day, as the layer measures it
        claim("ru-held", "2025-02-07", round(held, -3), actor="Russian forces", country=None),
        # a UA-held area claim (e.g. in Kursk) cannot be checked against an RU-only layer
        claim("ua-kursk", "2025-02-07", 1000, actor="Ukrainian forces", country=None),
    ])
    result = check_claims(claims, layer, coverage={"RU": {"UA"}}).set_index("id")
    assert result.loc["ru-held", "verdict"] == "consistent"
    assert result.loc["ru-held", "measured_km2"] == pytest.approx(held, rel=1e-9)
    assert result.loc["ua-kursk", "verdict"] == "no data"


@pytest.fixture(scope="module")
def shipped_boundaries():
    """The shipped boundaries: part of the package, so a failure to read them is a failure."""
    from geoevents.regions.boundaries import read_boundaries

    return read_boundaries("admin1"), read_boundaries("admin0")


def test_deepstate_claims_by_region_with_shipped_boundaries(deepstate_dir, shipped_boundaries):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_territory_diff import laea_area_km2

    admin1, admin0 = shipped_boundaries
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = read_control(deepstate_dir, dates=["2025-02-07"])
    donetsk = admin1.loc[admin1["admin1_code"] == "UA-14", "geometry"].iloc[0]
    independent = laea_area_km2(shapely.intersection(layer.geometry.iloc[0], donetsk))
    claims = pd.DataFrame([
        claim("donetsk", "2025-02-07", independent, actor="Russian forces", admin1="UA-14", country="UA"),
        claim("kursk-ua", "2025-02-07", 1000, actor="Ukrainian forces", admin1="RU-KRS", country="RU"),
        claim("kursk-ru", "2025-02-07", 500, actor="Russian forces", admin1="RU-KRS", country="RU"),
    ])
    result = check_claims(claims, layer).set_index("id")
    assert layer_coverage(layer, admin0) == {"RU": {"UA"}}
    assert result.loc["donetsk", "verdict"] == "consistent"
    assert result.loc["donetsk", "ratio"] == pytest.approx(1.0, abs=1e-3)
    assert 10_000 < result.loc["donetsk", "measured_km2"] < 26_600  # Donetsk Oblast is ~26,500 km²
    assert result.loc["kursk-ua", "verdict"] == "no data" and "controller UA" in result.loc["kursk-ua", "reason"]
    assert result.loc["kursk-ru", "verdict"] == "no data" and "not in RU" in result.loc["kursk-ru", "reason"]
