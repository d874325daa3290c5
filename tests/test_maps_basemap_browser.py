"""The offline basemap in headless Chromium (all network blocked): borders, land, labels, density.

The committed seed map is the page under test: it is what a reader opens.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import offline_page, open_map, require_browser, screenshot
from map_page_support import collisions, count, marker_boxes, overlap, set_zoom, visible_labels

pytestmark = pytest.mark.browser

SEED_MAP = Path(__file__).resolve().parents[1] / "maps" / "kursk-2025-02-07.html"
STROKE = "(s) => Math.max(...[...document.querySelectorAll(s)].map(p => parseFloat(getComputedStyle(p).strokeWidth)))"


@pytest.fixture(scope="module")
def seed_map() -> Path:
    require_browser()
    if not SEED_MAP.is_file():
        pytest.skip(f"{SEED_MAP} is not built: run `geoevents build seeds/`")
    return SEED_MAP


def in_view(box: list[float], size=(1280, 800)) -> bool:
    return box[2] > 0 and box[3] > 0 and box[0] < size[0] and box[1] < size[1]


def test_the_opening_view_has_land_borders_and_names(seed_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, seed_map)
        assert count(page, "path.ge-land") >= 5 and count(page, "path.ge-admin1") == 1
        border = page.evaluate("""() => { const p = document.querySelector('path.ge-border[data-between="RU-UA"]');
            if (!p) return null; const r = p.getBoundingClientRect();
            return {box: [r.left, r.top, r.right, r.bottom], d: p.getAttribute('d').length}; }""")
        assert border is not None, "no RU-UA border path"
        assert in_view(border["box"]) and border["box"][3] - border["box"][1] > 300  # runs across the view
        # international borders clearly stronger than region outlines
        assert page.evaluate(STROKE, "path.ge-border") >= 2 * page.evaluate(STROKE, "path.ge-admin1")
        labels = visible_labels(page)
        countries = {label["text"] for label in labels if "ge-label-country" in label["cls"]}
        assert {"Ukraine", "Russia"} <= countries
        cities = {label["text"] for label in labels if "ge-label-city" in label["cls"]}
        assert {"Kyiv", "Kharkiv", "Sumy", "Belgorod"} <= cities and len(cities) >= 10
        assert all(in_view(label["box"]) for label in labels)
        assert collisions(page) == []
        # the names are readable: at least 11 px, and dark enough on the light land
        sizes = page.evaluate("[...document.querySelectorAll('.ge-maplabel')].filter(n => n.style.display === 'block')"
                              ".map(n => parseFloat(getComputedStyle(n).fontSize))")
        assert min(sizes) >= 11
        screenshot(page, "seed-basemap-opening.png")
        assert log.js_errors() == [] and log.blocked == []


def test_label_density_follows_the_zoom(seed_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, seed_map)
        opening = {label["text"] for label in visible_labels(page)}
        set_zoom(page, 5)
        far = {label["text"] for label in visible_labels(page) if "ge-label-city" in label["cls"]}
        assert "Kyiv" in far and "Sumy" not in far  # 256,000 people: named from zoom 7
        assert collisions(page) == []
        screenshot(page, "seed-basemap-zoom5.png")
        page.evaluate("geoeventsLeafletMap.setView([50.91, 34.8], 10, {animate: false})")  # Sumy
        page.wait_for_function("window.geoeventsState.drawnAtZoom === 10")
        near = {label["text"] for label in visible_labels(page)}
        assert "Sumy" in near and near - opening  # towns too small for the opening view appear
        assert collisions(page) == []
        assert log.js_errors() == []


def test_tiles_are_an_option_and_the_land_stays_under_them(seed_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, seed_map)
        assert log.blocked == []
        page.hover(".leaflet-control-layers")  # the switcher opens from its button
        page.get_by_text("OpenStreetMap (online)").click()
        page.wait_for_function("window.geoeventsState.basemap === 'tiles'")
        assert any(url.startswith("https://tile.openstreetmap.org/") for url in log.blocked)
        assert count(page, "path.ge-land") >= 5  # offline, the tiles fail and the land still shows
        assert count(page, "path.ge-border") == 0  # the tiles draw their own borders and names
        assert not [label for label in visible_labels(page) if "ge-label-country" in label["cls"]]
        page.hover(".leaflet-control-layers")
        page.get_by_text("Offline basemap").click()
        page.wait_for_function("window.geoeventsState.basemap === 'offline'")
        assert count(page, "path.ge-border") > 0
        assert {"Ukraine", "Russia"} <= {label["text"] for label in visible_labels(page)}
        assert log.js_errors() == []


def test_labels_keep_clear_of_markers_when_the_map_moves(seed_map: Path) -> None:
    with offline_page((900, 700)) as (page, log):
        open_map(page, seed_map)
        for zoom in (6, 7, 8):
            set_zoom(page, zoom)
            page.evaluate("geoeventsLeafletMap.panTo([50.45, 30.52], {animate: false})")  # Kyiv: a marker on a city
            page.wait_for_timeout(100)
            boxes = marker_boxes(page)
            assert boxes, "the Kyiv event marker is not drawn"
            labels = visible_labels(page)
            assert not [(label["text"], box) for label in labels for box in boxes if overlap(label["box"], box)]
            assert "Kyiv" in {label["text"] for label in labels}  # named beside the marker, not hidden
        assert log.js_errors() == []
