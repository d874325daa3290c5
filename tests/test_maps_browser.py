"""Maps opened in real headless Chromium with ALL network blocked (file:// only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_support import (HOSTILE_CLAIM, HOSTILE_PLACE, HOSTILE_URL, offline_page, open_map, require_browser,
                             sample_boundaries, sample_events, screenshot, write_control_geojson)
from geoevents.maps.html import make_map, save_map
from map_page_support import count, show_date
from story_support import link_snapshots

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    folder = tmp_path_factory.mktemp("maps")
    control = write_control_geojson(folder / "control.geojson")
    fmap = make_map(sample_events(), control=control, boundaries=sample_boundaries(),
                    title="Sample <map>", subtitle="Hand-built events")
    return save_map(fmap, folder / "sample.html")


# the newest popup (an old one may still be fading out)
LAST_POPUP_TEXT = "[...document.querySelectorAll('.leaflet-popup-content')].map(e => e.innerText).pop() || ''"




def test_map_renders_offline_with_every_layer(sample_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, sample_map)
        assert page.evaluate("typeof window.L === 'object' && window.L.version") == "1.9.4"
        assert count(page, "path.ge-event") == 5
        assert count(page, "path.ge-region") == 3
        assert count(page, "path.ge-area-symbol") == 1
        assert count(page, "path.ge-control") == 1
        assert count(page, "path.ge-lost") == 1  # latest date shrank
        assert page.inner_text(".ge-title-main") == "Sample <map>"
        assert "1,000 km² claimed — area symbol, not a frontline" in page.inner_text(".ge-area-label")
        assert page.locator(".leaflet-control-scale").count() == 1
        assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
        assert "OpenStreetMap (online)" in page.text_content(".leaflet-control-layers")  # tiles: an option
        sources = page.text_content(".ge-sources")
        assert "GeoNames" in sources and "Natural Earth" in sources and "OpenStreetMap" in sources
        caption = page.inner_text(".ge-slider-caption")
        assert caption.startswith("2024-09-01: UA held") and "since 2024-08-20" in caption
        show_date(page, "2024-08-25")  # the latest snapshot on or before that day
        assert page.inner_text(".ge-slider-caption").startswith("2024-08-20: UA held 2,173 km² (+1,242 km²")
        assert count(page, "path.ge-gained") == 1 and count(page, "path.ge-lost") == 0
        page.evaluate("document.querySelector('.ge-sources').open = true")
        screenshot(page, "sample-map.png")
        assert log.js_errors() == []
        assert log.blocked == []  # the offline basemap is the default: no tile is even asked for


def test_kind_and_claimant_filters_hide_markers(sample_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, sample_map)
        page.click(".ge-filters summary")  # closed when the map opens, so it hides no data
        page.uncheck("input[data-filter='Kind:attack']")
        assert count(page, "path.ge-event") == 3
        page.uncheck("input[data-filter='Claimant:Kyiv']")
        assert count(page, "path.ge-event") == 0  # the rest are Kyiv's
        page.check("input[data-filter='Kind:attack']")
        assert count(page, "path.ge-event") == 2
        assert log.js_errors() == []


def test_hostile_text_shows_literally_and_nothing_executes(sample_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, sample_map)
        markers = page.locator("path.ge-event")
        popup_text, previous = None, ""
        for index in range(markers.count()):  # click each marker until the hostile event's popup opens
            markers.nth(index).dispatch_event("click")
            page.wait_for_function(f"(previous) => ({LAST_POPUP_TEXT}) !== previous", arg=previous, timeout=5000)
            previous = text = page.evaluate(LAST_POPUP_TEXT)
            if HOSTILE_CLAIM in text:
                popup_text = text
                break
        assert popup_text is not None, "no popup showed the hostile claim as text"
        assert HOSTILE_PLACE in popup_text and "<b>Bold</b> claimant" in popup_text
        assert "Evil <i>source</i>" in popup_text and HOSTILE_URL in popup_text
        assert page.evaluate("window.__pwned") is None
        assert log.dialogs == []
        assert count(page, ".leaflet-popup-content img, .leaflet-popup-content script, .leaflet-popup-content b") == 0
        hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs
        assert page.evaluate("[...document.querySelectorAll('script')].filter(s => s.src).length") == 0
        page.wait_for_timeout(400)  # let the popup finish fading in before the picture
        screenshot(page, "hostile-popup.png")
        assert log.js_errors() == []


def test_marker_tooltips_show_hostile_place_names_as_text(sample_map: Path) -> None:
    """Hovering each marker opens its tooltip: the hostile place name is shown as text,
    creates no element and runs nothing."""
    with offline_page() as (page, log):
        open_map(page, sample_map)
        markers = page.locator("path.ge-event")
        tooltips = []
        for index in range(markers.count()):
            markers.nth(index).dispatch_event("mouseover")
            page.wait_for_function("document.querySelector('.leaflet-tooltip:not(.ge-area-label)') !== null")
            tooltips.append(page.evaluate(
                "[...document.querySelectorAll('.leaflet-tooltip:not(.ge-area-label)')].map(t => t.textContent).pop()"))
            markers.nth(index).dispatch_event("mouseout")
        assert f"{HOSTILE_PLACE} · attack" in tooltips
        assert "Sudzha · advance" in tooltips and len(tooltips) == 5
        assert count(page, ".leaflet-tooltip img, .leaflet-tooltip script") == 0
        assert page.evaluate("window.__pwned") is None
        assert log.dialogs == [] and log.js_errors() == []


def test_many_events_cluster_and_draw_fast_enough_to_use(tmp_path: Path) -> None:
    require_browser()
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(7)
    n = 20_000
    events = gpd.GeoDataFrame(
        {"id": [f"e{i}" for i in range(n)], "kind": rng.choice(["attack", "advance", "statement"], n),
         "claimant": rng.choice(["A", "B"], n), "place": "somewhere", "claim": "text"},
        geometry=gpd.points_from_xy(rng.uniform(30, 40, n), rng.uniform(45, 52, n)), crs=4326)
    path = save_map(make_map(events, boundaries=sample_boundaries(), tiles=False), tmp_path / "many.html")
    with offline_page() as (page, log):
        open_map(page, path)
        state = page.evaluate("window.geoeventsState")
        assert state["events"] == n and state["clusters"] > 10
        assert count(page, ".ge-cluster") == state["clusters"]
        assert count(page, "path.ge-event") == 0  # markers are on the canvas, not DOM nodes
        page.locator(".ge-cluster").first.click()
        page.wait_for_function(f"window.geoeventsState.drawnAtZoom > {state['drawnAtZoom']}")
        screenshot(page, "many-events.png")
        assert log.js_errors() == []
        assert log.blocked == []  # tiles=False: nothing at all asked of the network


def committed_seed_maps() -> list[Path]:
    return sorted((Path(__file__).resolve().parents[1] / "maps").glob("*.html"))


@pytest.mark.parametrize("path", committed_seed_maps(), ids=lambda p: p.name)
def test_committed_seed_map_in_the_browser(path: Path) -> None:
    require_browser()
    from geoevents.events.read import read_events
    from geoevents.regions.boundaries import read_boundaries

    events = read_events(path.parents[1] / "seeds" / f"{path.stem}.yaml")
    located = events[~events.geometry.is_empty & events.geometry.notna()]
    codes = set(located["admin1_code"].dropna())
    regions = read_boundaries("admin1")
    expected_regions = int(regions["admin1_code"].isin(codes).sum())
    # events located only to a region are drawn on it, not as a pin at its centre
    region_level = located["geo_precision"].isin(["admin1", "country"])
    with offline_page() as (page, log):
        open_map(page, path)
        assert page.evaluate("window.L.version") == "1.9.4"
        assert count(page, "path.ge-event") == int((~region_level).sum())
        assert count(page, "path.ge-region-events") == located.loc[region_level, "admin1_code"].nunique()
        assert count(page, "path.ge-region") == expected_regions > 0
        assert count(page, "path.ge-area-symbol") == int((located["figure_unit"] == "km2").sum())
        page.locator("path.ge-event").first.dispatch_event("click")
        page.wait_for_function(f"(previous) => ({LAST_POPUP_TEXT}) !== previous", arg="")
        text = page.evaluate(LAST_POPUP_TEXT)
        claims = [c for c in located["claim"] if c and c in text]
        assert len(claims) == 1, text  # the popup shows exactly one event's claim, as text
        assert "Source: POLITICO Europe" in text
        page.wait_for_timeout(400)
        screenshot(page, f"seed-{path.stem}.png")
        assert log.js_errors() == []


@pytest.mark.slow
def test_real_control_snapshots_with_time_slider(deepstate_dir: Path, tmp_path: Path) -> None:
    """Three real daily DeepStateMap snapshots (read-only test data, never committed)."""
    require_browser()
    folder = link_snapshots(deepstate_dir, tmp_path / "control")
    path = save_map(make_map(sample_events(), control=folder, boundaries=sample_boundaries()), tmp_path / "ds.html")
    assert path.stat().st_size < 3_000_000  # drawn copies are simplified, areas are not
    with offline_page() as (page, log):
        open_map(page, path)
        assert count(page, "path.ge-control") == 1
        last = page.inner_text(".ge-slider-caption")
        assert re.match(r"\d{4}-\d{2}-\d{2}: RU held [\d,]+ km² \(\+[\d,.]+ km² / −[\d,.]+ km² since \d{4}-\d{2}-\d{2}\)", last), last
        first_day = sorted(folder.iterdir())[0].name.split("_")[-1][:8]
        show_date(page, f"{first_day[:4]}-{first_day[4:6]}-{first_day[6:]}")
        first = page.inner_text(".ge-slider-caption")
        assert first != last and "since" not in first
        assert count(page, "path.ge-gained") + count(page, "path.ge-lost") == 0  # nothing before the first day
        assert log.js_errors() == []
