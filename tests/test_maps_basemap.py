"""The offline basemap: what it cuts from data/boundaries and the gazetteer, and how it is sent."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from geoevents.maps.basemap import _build, basemap_json, build_basemap, compact_geometry, detail_box
from geoevents.maps.png import nice_length

KURSK_STORY = (30.5, 49.6, 38.5, 52.5)  # Kyiv to Kharkiv and Kursk: the seed map's extent


@pytest.fixture(scope="module")
def base():
    return build_basemap(KURSK_STORY, ("RU", "UA"))


def decode(geom: dict) -> list[np.ndarray]:
    """The page's decoder (basemap.js decodeGeometry), written again: lines as (lon, lat) arrays."""
    flats = geom["l"] if "l" in geom else [ring for polygon in geom["p"] for ring in polygon]
    return [np.cumsum(np.asarray(flat, dtype=float).reshape(-1, 2), axis=0) / geom["s"] for flat in flats]


def test_the_box_reaches_well_beyond_the_extent_on_every_side() -> None:
    west, south, east, north = detail_box(KURSK_STORY)
    width, height = KURSK_STORY[2] - KURSK_STORY[0], KURSK_STORY[3] - KURSK_STORY[1]
    assert west <= KURSK_STORY[0] - width and east >= KURSK_STORY[2] + width
    assert south <= KURSK_STORY[1] - height and north >= KURSK_STORY[3] + height
    # a town-sized story still gets a box wide enough for the region around it
    w, s, e, n = detail_box((35.2, 51.1, 35.3, 51.2))
    assert e - w >= 12 and n - s >= 7


def test_the_ru_ua_border_is_drawn_where_the_boundaries_put_it(base) -> None:
    from geoevents.regions.borders import border_distance

    pairs = {(a, b): geom for a, b, geom in base.borders}
    assert ("RU", "UA") in pairs and ("BY", "UA") in pairs and ("BY", "RU") in pairs
    # the nearest border point to Sudzha, from the full-resolution borders, lies on the drawn line
    found = border_distance(51.19, 35.27)
    assert found["border_country"] == "UA"
    lat, lon = found["border_point"]
    assert shapely.distance(pairs[("RU", "UA")], shapely.Point(lon, lat)) < base.tolerance + 0.002
    # and the border is long here, not a stub: from Belarus down past Kharkiv
    assert pairs[("RU", "UA")].length > 10


def test_region_lines_run_inside_countries_not_along_borders_or_coasts(base) -> None:
    border = shapely.union_all([g for _, _, g in base.borders])
    band = shapely.buffer(border, 0.01)
    along = shapely.intersection(base.admin1, band).length
    assert base.admin1.length > 50
    assert along < 0.02 * border.length  # only where region lines meet the border
    assert shapely.intersection(base.admin1, shapely.buffer(base.coast, 0.01)).length < 0.02 * base.coast.length


def test_neighbouring_countries_share_their_edges_after_simplifying(base) -> None:
    land = {code: geom for code, _, geom in base.land}
    assert {"UA", "RU", "BY"} <= set(land)
    border = dict(((a, b), g) for a, b, g in base.borders)[("RU", "UA")]
    # simplified as one coverage: the two outlines still run along one common line (no sliver
    # of sea between them, no overlap), as long as the border itself
    shared = shapely.intersection(shapely.boundary(land["UA"]), shapely.boundary(land["RU"]))
    assert shared.length > 0.97 * border.length
    assert shapely.intersection(land["UA"], land["RU"]).area < 1e-6


def test_labels_name_countries_regions_and_the_largest_places_but_not_districts(base) -> None:
    by_kind: dict[str, list] = {}
    for label in base.labels:
        by_kind.setdefault(label.kind, []).append(label)
    countries = {label.text for label in by_kind["country"]}
    assert {"Ukraine", "Russia", "Belarus"} <= countries
    regions = {label.text for label in by_kind["region"]}
    assert {"Kursk Oblast", "Sumy Oblast", "Kharkiv Oblast", "Belgorod Oblast"} <= regions
    cities = {label.text: label.population for label in by_kind["city"]}
    assert {"Kyiv", "Kharkiv", "Kursk", "Sumy", "Belgorod", "Voronezh"} <= set(cities)
    assert cities["Kyiv"] > 2_000_000
    # GeoNames lists city districts as places; they are not cities on a map
    assert not {"Saltivka", "Darnytsya", "Dniprovskyi", "Kovpakivskyi", "Zarichnyi"} & set(cities)
    # every place lies inside the box, and the country label spots lie in the country
    west, south, east, north = base.box
    assert all(west <= label.lon <= east and south <= label.lat <= north for label in by_kind["city"])
    land = {name: geom for _, name, geom in base.land}
    for label in by_kind["country"]:
        spots = [(label.lon, label.lat), *label.others]
        assert all(shapely.contains_xy(land[label.text], x, y) for x, y in spots), label.text


def test_the_page_gets_the_same_vertices_in_a_compact_form(base) -> None:
    geom = base.borders[0][2]
    sent = compact_geometry(geom)
    decoded = decode(sent)
    original = [np.asarray(part.coords) for part in shapely.get_parts(geom)]
    assert len(decoded) == len(original)
    for got, want in zip(decoded, original):
        assert np.allclose(got, want, atol=1e-9)
    plain = len(json.dumps(shapely.geometry.mapping(geom)["coordinates"], separators=(",", ":")))
    assert len(json.dumps(sent, separators=(",", ":"))) < 0.6 * plain
    polygon = compact_geometry(base.land[0][2])
    assert "p" in polygon and all(np.allclose(r[0], r[-1]) for r in decode(polygon))  # rings closed


def test_the_basemap_is_the_same_every_time_and_small(base) -> None:
    first = json.dumps(basemap_json(base), sort_keys=True)
    _build.cache_clear()
    again = json.dumps(basemap_json(build_basemap(KURSK_STORY, ("RU", "UA"))), sort_keys=True)
    assert first == again
    assert len(first) < 250_000  # stated in docs/maps.md: ~160 KB for the seed map


@pytest.mark.parametrize("km, expected", [(0.7, 0.5), (3, 2), (99, 50), (100, 100), (430, 200), (7200, 5000)])
def test_scale_bar_lengths_are_round_numbers(km: float, expected: float) -> None:
    assert nice_length(km) == expected
