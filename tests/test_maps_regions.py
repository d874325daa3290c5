"""Events located only to a region or a country: drawn on it, counted once, never a pin."""

from __future__ import annotations

import shapely

from geoevents.maps.layers import region_layer, region_refs
from story_support import event, story_events


def test_country_level_events_get_their_country_cut_to_the_map_and_a_label_inside() -> None:
    rows = [event("ru", "2024-08-06", "2024-08-06", "2024-08-06", 37.6, 55.7, geo_precision="country",
                  admin1_code=None, admin1_name=None, place="Russia"),
            event("krs", "2024-08-07", "2024-08-07", "2024-08-07", 36.2, 51.7, geo_precision="admin1"),
            event("pt", "2024-08-08", "2024-08-08", "2024-08-08", 35.27, 51.19)]
    events = story_events(rows)
    clip = (30.0, 48.0, 42.0, 56.0)
    regions = region_layer(events, None, clip=clip)
    levels = {(r["level"], r["code"]): r for r in regions}
    assert set(levels) == {("admin1", "RU-KRS"), ("country", "RU")}
    russia = shapely.geometry.shape(levels[("country", "RU")]["geometry"])
    assert shapely.box(*clip).buffer(1e-6).contains(russia)  # all of Russia would be megabytes
    lat, lon = levels[("country", "RU")]["label"]
    assert russia.contains(shapely.Point(lon, lat))
    refs = region_refs(events, regions)
    index = {(r["level"], r["code"]): k for k, r in enumerate(regions)}
    assert refs == [index[("country", "RU")], index[("admin1", "RU-KRS")], -1]  # the point keeps its marker


def test_without_geo_precision_every_event_keeps_its_point() -> None:
    events = story_events([event("a", "2024-08-06", "2024-08-06", "2024-08-06", 35.27, 51.19)])
    events = events.drop(columns=["geo_precision"])
    assert region_refs(events, region_layer(events, None)) == [-1]
