"""attach_regions: regions by geometry, borders, the sea, and names without geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geoevents
from geoevents.regions.attach import attach_regions
from geoevents.regions.boundaries import read_boundaries


def frame(points, **columns):
    return gpd.GeoDataFrame(columns, geometry=[None if p is None else shapely.points(p) for p in points],
                            crs="EPSG:4326")


def test_known_places_get_their_regions():
    # (lon, lat): Kharkiv, Sudzha, Kyiv, Simferopol, Minsk, Chisinau, Rostov-on-Don
    places = [(36.2304, 49.9935), (35.2712, 51.1926), (30.5234, 50.4501), (34.1024, 44.9521),
              (27.5615, 53.9045), (28.8638, 47.0105), (39.7015, 47.2357)]
    out = attach_regions(frame(places, id=list("abcdefg")))
    codes = out["admin1_code"].tolist()
    assert codes == ["UA-63", "RU-KRS", "UA-30", "UA-43", "BY-HM", "MD-CU", "RU-ROS"]  # BY-HM: Minsk city
    assert out["country_code"].tolist() == ["UA", "RU", "UA", "UA", "BY", "MD", "RU"]
    assert out["admin1_name"].iloc[0] == "Kharkiv Oblast"
    assert (out["region_match"] == "within").all()
    assert (out["region_distance_km"] == 0).all()
    assert out["id"].tolist() == list("abcdefg")  # other columns untouched


def test_public_api_is_exported():
    assert geoevents.attach_regions is attach_regions


def test_point_at_sea_near_coast_gets_nearest_region_flagged():
    # ~5 km off the Odesa coast, in the Black Sea; and far out at sea
    out = attach_regions(frame([(30.83, 46.45), (33.0, 43.0)]))
    near, far = out.iloc[0], out.iloc[1]
    assert near["admin1_code"] == "UA-51" and near["region_match"] == "nearest"
    assert 0 < near["region_distance_km"] <= 25
    assert far["admin1_code"] is None and far["country_code"] is None and far["region_match"] is None
    assert np.isnan(far["region_distance_km"])


def test_tolerance_controls_nearest():
    out = attach_regions(frame([(30.83, 46.45)]), tolerance_km=0.5)
    assert out["admin1_code"].iloc[0] is None


def test_point_on_shared_border_is_deterministic():
    admin1 = read_boundaries("admin1", ["UA"]).set_index("admin1_code")
    edge = shapely.intersection(admin1.loc["UA-63", "geometry"].boundary, admin1.loc["UA-59", "geometry"].boundary)
    vertex = shapely.get_coordinates(edge)[len(shapely.get_coordinates(edge)) // 2]
    out = attach_regions(frame([tuple(vertex)] * 3))
    assert set(out["admin1_code"]) == {"UA-59"}  # the code that sorts first, every time
    assert (out["region_match"] == "within").all()


def test_polygons_are_attached_by_an_inside_point():
    square = shapely.box(36.0, 49.8, 36.4, 50.1)  # around Kharkiv
    out = attach_regions(gpd.GeoDataFrame(geometry=[square], crs="EPSG:4326"))
    assert out["admin1_code"].iloc[0] == "UA-63"


def test_other_crs_is_accepted_and_geometry_kept():
    src = frame([(36.2304, 49.9935)]).to_crs("EPSG:3857")
    out = attach_regions(src)
    assert out["admin1_code"].iloc[0] == "UA-63"
    assert out.crs == src.crs and out.geometry.iloc[0].equals(src.geometry.iloc[0])


def test_rows_without_geometry_use_region_names_from_the_gazetteer():
    out = attach_regions(frame([None, None, None], region=["Kursk Oblast", "UA-63", "nowhere-land"]))
    assert out["admin1_code"].tolist()[:2] == ["RU-KRS", "UA-63"]
    assert out["region_match"].tolist()[:2] == ["name", "name"]
    assert out["country_code"].iloc[0] == "RU"
    assert out["admin1_code"].iloc[2] is None and out["region_match"].iloc[2] is None


def test_empty_frame_and_bad_input():
    out = attach_regions(gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"))
    assert len(out) == 0 and "admin1_code" in out.columns
    with pytest.raises(TypeError):
        attach_regions([(30.0, 50.0)])


def test_matches_plain_containment_on_random_points():
    """The vectorised path agrees with a per-point shapely.contains loop."""
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(22, 41, 400), rng.uniform(44, 53, 400)
    out = attach_regions(frame(list(zip(lon, lat))))
    admin1 = read_boundaries("admin1", ["UA", "RU", "BY", "MD", "PL", "RO", "HU", "SK"])
    admin1 = admin1.sort_values("admin1_code").reset_index(drop=True)
    checked = 0
    for x, y, got, how in zip(lon, lat, out["admin1_code"], out["region_match"]):
        expected = next((r.admin1_code for r in admin1.itertuples()
                         if shapely.intersects(r.geometry, shapely.points(x, y))), None)
        if expected is not None:
            assert (got, how) == (expected, "within")
            checked += 1
    assert checked > 250


def test_region_precision_events_keep_their_named_region():
    # A "Kyiv Oblast" event placed at the oblast's label point inside Kyiv city, a
    # country-level event at a point inside Kharkiv Oblast, and an exact event.
    events = frame([(30.5234, 50.4501), (36.2304, 49.9935), (36.2304, 49.9935)],
                   geo_precision=["admin1", "country", "exact"], admin1_code=["UA-32", None, None])
    out = attach_regions(events)
    assert out["admin1_code"].tolist() == ["UA-32", None, "UA-63"]
    assert out["region_match"].tolist() == ["name", "within", "within"]
    assert np.isnan(out["region_distance_km"].iloc[0]) and out["region_distance_km"].iloc[2] == 0
    assert out["country_code"].tolist() == ["UA", "UA", "UA"]


def test_point_in_a_sliver_between_regions_gets_the_nearest_region_of_that_country():
    outline = read_boundaries("admin0", ["UA"]).geometry.iloc[0]
    regions = read_boundaries("admin1", ["UA", "BY", "RU", "PL", "SK", "HU", "RO", "MD"])
    slivers = shapely.get_parts(shapely.difference(outline, shapely.union_all(regions.geometry.values)))
    assert len(slivers) > 0, "no slivers left between Ukrainian regions: build one by hand for this test"
    sliver = max(slivers, key=lambda g: g.area)
    out = attach_regions(gpd.GeoDataFrame(geometry=[sliver.representative_point()], crs="EPSG:4326")).iloc[0]
    assert out["country_code"] == "UA"
    assert out["admin1_code"].startswith("UA-") and out["region_match"] == "nearest"
    assert out["region_distance_km"] < 1
