"""Control layers with their name, source and credit, in headless Chromium (all network blocked).

The control folder is written by the test (story_support); the real DeepStateMap snapshots
are used read-only when present, never copied into the repository.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_support import offline_page, open_map, require_browser, screenshot
from geoevents.cli import main
from geoevents.maps.html import make_map, save_map
from map_page_support import collisions, count, show_date
from story_support import LAYER, PUBLISHED, link_snapshots, story_events, write_control_folder

pytestmark = pytest.mark.browser

LAST_POPUP = "[...document.querySelectorAll('.leaflet-popup-content')].map(e => e.textContent).pop() || ''"
HOSTILE = {"name": "<img src=x onerror=\"window.__pwned='name'\"> {{7*7}}",
           "source": "{{ 6*7 }} </script><script>window.__pwned='source'</script>",
           "source_url": "javascript:window.__pwned='url'",
           "credit": "{% if true %}IF{% endif %} <b>bold</b> credit"}


def text(page, selector: str) -> str:
    return page.evaluate("(s) => document.querySelector(s).textContent", selector)


@pytest.fixture(scope="module")
def control_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    folder = tmp_path_factory.mktemp("control")
    control = write_control_folder(folder / "front")
    return save_map(make_map(story_events(), control=control, title="Control map"), folder / "control.html")


def test_a_story_map_opens_at_the_snapshot_before_its_day_with_name_date_and_credit(control_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, control_map)
        assert page.evaluate("window.geoeventsState.day") == PUBLISHED
        caption = page.inner_text(".ge-slider-caption")
        assert caption.startswith("2024-08-20: UA held")  # not the folder's last snapshot, 2024-09-01
        legend = text(page, ".ge-legend")
        assert f"Area held — {LAYER['name']} (2024-08-20)" in legend
        assert f"Source: {LAYER['source']} · {LAYER['credit']}" in legend
        sources = text(page, ".ge-sources")
        assert f"{LAYER['source']} (control layer)" in sources and LAYER["credit"] in sources
        assert page.evaluate("[...document.querySelectorAll('.ge-sources a')].map(a => a.href)").count(
            LAYER["source_url"]) == 1
        assert collisions(page) == []
        page.evaluate("document.querySelector('.ge-sources').open = true")
        screenshot(page, "control-map.png")
        show_date(page, "2024-09-01")
        assert page.inner_text(".ge-slider-caption").startswith("2024-09-01: UA held")
        assert "(2024-09-01)" in text(page, ".ge-legend")
        show_date(page, "2024-07-25")  # before the first snapshot: nothing is drawn, and it says so
        assert count(page, "path.ge-control") == 0
        assert "No control layer on or before 2024-07-25" in page.inner_text(".ge-slider-caption")
        assert log.js_errors() == []


def test_the_list_of_changes_finds_areas_too_thin_to_see(control_map: Path) -> None:
    with offline_page() as (page, log):
        open_map(page, control_map)
        page.click(".ge-changes-list summary")
        items = page.locator(".ge-change").all_inner_texts()
        assert items and all(" km²" in item for item in items)
        assert any(item.startswith("UA gained") and "Kursk Oblast" in item for item in items)
        zoom = page.evaluate("geoeventsLeafletMap.getZoom()")
        page.locator(".ge-change").first.click()
        page.wait_for_function(f"geoeventsLeafletMap.getZoom() > {zoom}")
        inside = page.evaluate("(() => { const b = geoeventsLeafletMap.getBounds();"
                               " return b.contains([51.3, 35.5]) && b.contains([51.3, 34.95]); })()")
        assert inside  # the change (west and east strips of the grown box) is in view
        assert count(page, "path.ge-change-flash") == 1
        assert log.js_errors() == []


@pytest.mark.parametrize("where", ["layer.yaml", "geojson members", "command line"])
def test_hostile_layer_metadata_stays_text(where: str, tmp_path: Path) -> None:
    require_browser()
    events = tmp_path / "events.geojson"
    story_events().to_file(events, driver="GeoJSON")
    folder = write_control_folder(tmp_path / "front", HOSTILE if where == "layer.yaml" else LAYER)
    options = []
    if where == "geojson members":
        (folder / "layer.yaml").unlink()
        first = sorted(folder.glob("*.geojson"))[0]
        data = json.loads(first.read_text(encoding="utf-8"))
        data.update(title=HOSTILE["name"], source=HOSTILE["source"], attribution=HOSTILE["credit"],
                    source_url=HOSTILE["source_url"])
        first.write_text(json.dumps(data), encoding="utf-8")
    if where == "command line":
        options = ["--control-name", HOSTILE["name"], "--control-source", HOSTILE["source"],
                   "--control-credit", HOSTILE["credit"]]
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(events), "--control", str(folder), "-o", str(out), "--png",
                                       *options])
    assert result.exit_code == 0, result.output
    with offline_page() as (page, log):
        open_map(page, out)
        legend, sources = text(page, ".ge-legend"), text(page, ".ge-sources")
        assert f"Area held — {HOSTILE['name']} (2024-08-20)" in legend
        assert f"Source: {HOSTILE['source']} · {HOSTILE['credit']}" in legend
        assert f"{HOSTILE['source']} (control layer)" in sources and HOSTILE["credit"] in sources
        assert text(page, ".ge-time-control") == f"Control: {HOSTILE['name']}"
        page.locator("path.ge-control").first.dispatch_event("click")
        page.wait_for_function(f"({LAST_POPUP}).startsWith('Held by')")
        assert f"Layer: {HOSTILE['name']}" in page.evaluate(LAST_POPUP)
        assert page.evaluate("window.__pwned") is None and log.dialogs == []
        assert page.evaluate("document.querySelectorAll('img, b, script[src]').length") == 0
        hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        assert all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs  # Leaflet's zoom buttons: '#'
        assert log.js_errors() == []
    assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_real_snapshots_open_at_the_story_day(deepstate_dir: Path, tmp_path: Path) -> None:
    """DeepStateMap snapshots (read-only test data): a story of 2024-08-25 shows the layer of that day."""
    require_browser()
    folder = link_snapshots(deepstate_dir, tmp_path / "deepstate", "deepstatemap_data_202408[12]*.geojson", 12)
    shutil.copy(deepstate_dir / "LICENSE", folder / "LICENSE")  # not a layer: left alone
    days = sorted(p.name[-16:-8] for p in folder.glob("*.geojson"))
    on_or_before = max(d for d in days if d <= "20240825")
    from geoevents.territory.control import MissingDatesWarning

    with pytest.warns(MissingDatesWarning, match="2024-08-18..2024-08-19"):  # the archive skips two days
        fmap = make_map(story_events(), control=folder, control_meta={"name": "DeepStateMap", "credit": "GPL-3.0"})
    out = save_map(fmap, tmp_path / "ds.html")
    with offline_page() as (page, log):
        open_map(page, out)
        shown = f"{on_or_before[:4]}-{on_or_before[4:6]}-{on_or_before[6:]}"
        assert page.inner_text(".ge-slider-caption").startswith(f"{shown}: RU held")
        assert f"Area held — DeepStateMap ({shown})" in text(page, ".ge-legend")
        assert collisions(page) == []
        screenshot(page, "control-map-deepstate.png")
        assert log.js_errors() == []
