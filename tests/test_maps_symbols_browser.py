"""Honest symbols in headless Chromium: estimated places, stacks, region-level events, area captions."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from browser_support import offline_page, open_map, require_browser, screenshot
from geoevents.maps.html import make_map, save_map
from map_page_support import collisions, count, marker_boxes, overlap, visible_labels
from story_support import ESTIMATED, STACK, event, story_events, story_rows

pytestmark = pytest.mark.browser

EARTH_RADIUS = 6378137.0  # Leaflet's spherical Web Mercator
LAST_POPUP = "[...document.querySelectorAll('.leaflet-popup-content')].map(e => e.innerText).pop() || ''"
# a point event just south of the area claim's circle, where its caption would go first
BLOCKER = event("blocker", "2024-08-21", "2024-08-21", "2024-08-21", 36.2, 51.52, kind="attack")


@pytest.fixture(scope="module")
def story_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    folder = tmp_path_factory.mktemp("symbols")
    events = story_events(story_rows() + [BLOCKER])
    return save_map(make_map(events, title="Symbols"), folder / "symbols.html")


def metres_per_pixel(lat: float, zoom: int) -> float:
    return 2 * math.pi * EARTH_RADIUS * math.cos(math.radians(lat)) / (256 * 2 ** zoom)


@pytest.mark.parametrize("zoom", [8, 10])
def test_an_estimated_place_is_a_circle_of_its_uncertainty(story_map: Path, zoom: int) -> None:
    lon, lat, radius_km = ESTIMATED
    with offline_page() as (page, log):
        open_map(page, story_map)
        assert count(page, "path.ge-uncertainty") == 1 and count(page, "path.ge-event.ge-estimated") == 1
        page.evaluate("([lat, lon, z]) => geoeventsLeafletMap.setView([lat, lon], z, {animate: false})", [lat, lon, zoom])
        page.wait_for_function("(z) => window.geoeventsState.drawnAtZoom === z", arg=zoom)
        box = page.evaluate("(() => { const r = document.querySelector('path.ge-uncertainty').getBoundingClientRect();"
                            " return [r.width, r.height, r.left + r.width / 2, r.top + r.height / 2]; })()")
        expected = radius_km * 1000 / metres_per_pixel(lat, zoom)
        assert box[0] / 2 == pytest.approx(expected, rel=0.03)
        assert box[1] / 2 == pytest.approx(expected, rel=0.03)  # a circle on the ground, not an ellipse
        dot = page.evaluate("(() => { const r = document.querySelector('path.ge-estimated').getBoundingClientRect();"
                            " return [r.left + r.width / 2, r.top + r.height / 2, r.width]; })()")
        assert abs(dot[0] - box[2]) < 1.5 and abs(dot[1] - box[3]) < 1.5 and dot[2] < 12  # a dot, not a pin
        page.locator("path.ge-estimated").dispatch_event("click")
        page.wait_for_function(f"({LAST_POPUP}).includes('estimated')")
        assert "estimated, within about 10 km" in page.evaluate(LAST_POPUP)
        assert log.js_errors() == []


def test_events_at_one_point_are_one_marker_with_a_count_that_spreads_on_click(story_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, story_map)
        page.evaluate("([lat, lon]) => geoeventsLeafletMap.setView([lat, lon], 10, {animate: false})", STACK[::-1])
        page.wait_for_function("window.geoeventsState.drawnAtZoom === 10")
        assert page.locator(".ge-stack").all_inner_texts() == ["3"]
        before = count(page, "path.ge-event")
        page.click(".ge-stack")
        page.wait_for_function("window.geoeventsState.expanded !== null")
        assert count(page, ".ge-stack") == 0 and count(page, "path.ge-leg") == 3
        assert count(page, "path.ge-event") == before + 3
        centres = page.evaluate("[...document.querySelectorAll('path.ge-event:not(.ge-estimated)')].map(p => {"
                                " const r = p.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })")
        spread = [c for c in centres if c]
        assert all(math.dist(a, b) >= 14 for k, a in enumerate(spread) for b in spread[k + 1:])  # each clickable
        screenshot(page, "stack-spread.png")
        page.mouse.click(200, 400)  # elsewhere on the map: one marker again
        page.wait_for_function("window.geoeventsState.expanded === null")
        assert page.locator(".ge-stack").all_inner_texts() == ["3"]
        assert log.js_errors() == []


def test_region_level_events_are_drawn_on_their_region_with_one_count(story_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, story_map)
        assert count(page, "path.ge-region-events") == 1
        labels = [label["text"] for label in visible_labels(page) if "ge-label-events" in label["cls"]]
        assert labels == ["Kursk Oblast · 2 events"]
        # no pin stands for them at the region's centre
        centre = page.evaluate("(() => { const p = geoeventsLeafletMap.latLngToContainerPoint([51.7, 36.2]);"
                               " return [p.x - 8, p.y - 8, p.x + 8, p.y + 8]; })()")
        assert not [box for box in marker_boxes(page) if overlap(box, centre)]
        page.locator(".ge-label-events").click()
        page.wait_for_function(f"({LAST_POPUP}).includes('located only to this region')")
        popup = page.evaluate(LAST_POPUP)
        assert "Claim region-1." in popup and "Claim region-2." in popup
        page.locator(".ge-member", has_text="Claim region-1.").click()
        page.wait_for_function(f"({LAST_POPUP}).includes('the region as a whole')")
        assert "Claimant: Kyiv" in page.evaluate(LAST_POPUP)
        page.evaluate("location.hash = '#date=2024-08-01'")  # before the second region-level event
        page.wait_for_function("window.geoeventsState.day === '2024-08-01'")
        labels = [label["text"] for label in visible_labels(page) if "ge-label-events" in label["cls"]]
        assert labels == ["Kursk Oblast · 1 event"]
        assert log.js_errors() == []


def test_area_captions_never_cover_markers(story_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, story_map)
        for zoom in (7, 8, 9, 10):
            page.evaluate("(z) => geoeventsLeafletMap.setView([51.62, 36.2], z, {animate: false})", zoom)
            page.wait_for_function("(z) => window.geoeventsState.drawnAtZoom === z", arg=zoom)
            captions = [label for label in visible_labels(page) if "ge-area-label" in label["cls"]]
            if zoom >= 8:
                assert captions, f"the area claim's caption found no room at zoom {zoom}"
            assert collisions(page) == [], zoom
        assert log.js_errors() == []
