"""The map's time axis: the days events cover, the slider's span and the day a map opens at."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import shapely

from geoevents.maps.timeaxis import event_days, opening_state, snapshot_on_or_before, time_axis


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=[shapely.Point(35, 51)] * len(rows), crs=4326)


def test_each_event_covers_its_whole_period_and_undated_ones_none() -> None:
    events = frame([
        {"date": "2024-08", "date_start": "2024-08-01", "date_end": "2024-08-31"},
        {"date": "2024-W32"},  # no date_start column value: read from the date itself
        {"date": "not a date"},
        {"date": "2024-05-01/2025-02-07"},
    ])
    events.loc[1:, "date_start"] = None
    starts, ends = event_days(events)
    assert starts == [dt.date(2024, 8, 1), dt.date(2024, 8, 5), None, dt.date(2024, 5, 1)]
    assert ends == [dt.date(2024, 8, 31), dt.date(2024, 8, 11), None, dt.date(2025, 2, 7)]


def test_a_story_opens_at_its_publication_day_and_the_snapshot_before_it() -> None:
    events = frame([{"date_start": "2024-08-06", "date_end": "2024-08-06", "published": "2024-08-25"},
                    {"date_start": "2024-08-22", "date_end": "2024-08-22", "published": "2024-08-21"}])
    snapshots = ["2024-08-10", "2024-08-20", "2024-09-01"]
    axis, t0, t1 = time_axis(events, snapshots)
    assert axis["start"] == "2024-08-06" and axis["end"] == "2024-09-01"
    assert axis["open"] == "2024-08-25"  # the latest `published`, not the last snapshot
    assert t0 == [0, 16] and t1 == [0, 16]
    day, snapshot, shown = opening_state(events, snapshots)
    assert (day, snapshot, shown) == ("2024-08-25", "2024-08-20", [True, True])
    assert snapshot_on_or_before("2024-08-19", snapshots) == "2024-08-10"
    assert snapshot_on_or_before("2024-08-09", snapshots) is None


def test_a_layer_that_starts_after_the_story_opens_at_its_latest_snapshot() -> None:
    events = frame([{"date_start": "2024-08-06", "date_end": "2024-08-06", "published": "2024-08-07"}])
    axis, _, _ = time_axis(events, ["2024-08-10", "2024-08-20"])
    assert axis["open"] == "2024-08-20"


def test_events_only_maps_get_an_axis_when_they_span_more_than_a_day() -> None:
    one_day = frame([{"date_start": "2024-08-06", "date_end": "2024-08-06"}] * 2)
    assert time_axis(one_day, [])[0] is None
    month = frame([{"date_start": "2024-08-01", "date_end": "2024-08-31"}])
    axis, _, _ = time_axis(month, [])
    assert axis is not None and axis["open"] == "2024-08-31"
    # a dataset whose events go on after its `published` day opens where every event shows
    later = frame([{"date_start": "2024-01-01", "date_end": "2024-01-01", "published": "2024-02-01"},
                   {"date_start": "2024-06-01", "date_end": "2024-06-01", "published": "2024-02-01"}])
    axis, _, _ = time_axis(later, [])
    assert axis["open"] == "2024-06-01"
    day, _, shown = opening_state(later, [])
    assert shown == [True, True]


def test_play_takes_at_most_a_few_hundred_steps() -> None:
    years = frame([{"date_start": "2020-01-01", "date_end": "2020-01-01"},
                   {"date_start": "2024-12-31", "date_end": "2024-12-31"}])
    axis, _, _ = time_axis(years, [])
    span = (dt.date(2024, 12, 31) - dt.date(2020, 1, 1)).days
    assert axis["step"] > 1 and span / axis["step"] <= 150
