"""Events on the time axis in headless Chromium: #date= links, the window mode, month-long events, play."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import offline_page, open_map, require_browser
from geoevents.maps.html import make_map, save_map
from map_page_support import count, show_date
from story_support import event, story_events

pytestmark = pytest.mark.browser

# four events at four places: two days in August, the whole of August, a day in September
ROWS = [
    event("aug-06", "2024-08-06", "2024-08-06", "2024-08-06", 35.0, 51.0),
    event("aug-20", "2024-08-20", "2024-08-20", "2024-08-20", 35.5, 51.0),
    event("august", "2024-08", "2024-08-01", "2024-08-31", 36.0, 51.0, date_precision="month"),
    event("sep-10", "2024-09-10", "2024-09-10", "2024-09-10", 36.5, 51.0, published="2024-09-15"),
]


@pytest.fixture(scope="module")
def dated_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    folder = tmp_path_factory.mktemp("time")
    return save_map(make_map(story_events(ROWS), boundaries=False, title="Dates"), folder / "dates.html")


def markers_at(page, fragment: str, path: Path) -> int:
    """Markers drawn when the link with this fragment is opened afresh (not a same-page jump)."""
    page.goto("about:blank")
    page.goto(path.resolve().as_uri() + fragment, wait_until="load")
    page.wait_for_function("window.geoeventsReady === true")
    return count(page, "path.ge-event")


def test_a_link_with_a_date_opens_the_map_at_that_date(dated_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, dated_map)
        assert page.evaluate("window.geoeventsState.day") == "2024-09-10"  # the last day of the events
        assert count(page, "path.ge-event") == 4
        assert markers_at(page, "#date=2024-08-10", dated_map) == 2  # aug-06 and the month
        assert page.inner_text(".ge-time-date") == "10 August 2024"
        assert markers_at(page, "#date=2024-08-25", dated_map) == 3
        assert markers_at(page, "#date=2024-07-31", dated_map) == 1  # before the axis: its first day
        assert page.inner_text(".ge-time-date") == "1 August 2024"
        assert markers_at(page, "#date=not-a-date", dated_map) == 4  # ignored: the opening day
        assert log.js_errors() == []


def test_window_mode_and_a_month_long_event_over_its_whole_month(dated_map: Path) -> None:
    with offline_page() as (page, log):
        assert markers_at(page, "#date=2024-09-05&window=7", dated_map) == 1  # only August reaches 30 Aug
        assert page.is_checked("input[value=window]") and page.input_value(".ge-time-window") == "7"
        for day in ("2024-08-01", "2024-08-15", "2024-08-31"):  # no day event on these days
            show_date(page, day, window=1)
            assert count(page, "path.ge-event") == 1, day
        show_date(page, "2024-09-01", window=1)
        assert count(page, "path.ge-event") == 0  # the month is over
        show_date(page, "2024-09-10", window=30)
        assert count(page, "path.ge-event") == 3  # aug-20, August and sep-10
        page.check("input[value=upto]")
        assert count(page, "path.ge-event") == 4 and page.evaluate("location.hash") == "#date=2024-09-10"
        assert log.js_errors() == []


def test_the_slider_writes_the_date_into_the_link_without_reloading(dated_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, dated_map)
        page.evaluate("window.__sameDocument = true")
        entries = page.evaluate("history.length")
        page.fill(".ge-time input[type=range]", "10")  # ten days after the first, 2024-08-01
        page.dispatch_event(".ge-time input[type=range]", "input")
        assert page.evaluate("location.hash") == "#date=2024-08-11"
        assert page.evaluate("window.__sameDocument") is True
        assert count(page, "path.ge-event") == 2
        page.select_option(".ge-time-window", "30")
        assert page.evaluate("location.hash") == "#date=2024-08-11&window=30"
        assert page.evaluate("history.length") == entries  # replaced, not one history entry per step
        page.evaluate("location.hash = '#date=2024-09-09'")  # a reader edits the link: the map follows
        page.wait_for_function("window.geoeventsState.day === '2024-09-09'")
        assert page.evaluate("window.geoeventsState.mode") == "upto"  # no window in the link
        assert count(page, "path.ge-event") == 3 and page.input_value(".ge-time input[type=range]") == "39"
        assert log.js_errors() == []


def test_play_moves_the_date_forward_and_pause_stops_it(dated_map: Path) -> None:
    with offline_page() as (page, log):
        page.goto(dated_map.resolve().as_uri() + "#date=2024-08-06", wait_until="load")
        page.wait_for_function("window.geoeventsReady === true")
        page.click(".ge-play")
        page.wait_for_function("window.geoeventsState.day > '2024-08-08'", timeout=10000)
        page.click(".ge-play")
        stopped = page.evaluate("window.geoeventsState.day")
        page.wait_for_timeout(1200)
        assert page.evaluate("window.geoeventsState.day") == stopped
        assert log.js_errors() == []


def test_an_events_only_map_gets_the_time_control_only_when_dates_differ(tmp_path: Path) -> None:
    require_browser()
    one_day = [dict(r, date="2024-08-06", date_start="2024-08-06", date_end="2024-08-06") for r in ROWS]
    same = save_map(make_map(story_events(one_day), boundaries=False), tmp_path / "same.html")
    with offline_page() as (page, log):
        open_map(page, same)
        assert count(page, ".ge-time") == 0 and count(page, "path.ge-event") == 4
        page.goto(same.resolve().as_uri() + "#date=2023-01-01", wait_until="load")  # nothing to move
        page.wait_for_function("window.geoeventsReady === true")
        assert count(page, "path.ge-event") == 4
        assert log.js_errors() == []
