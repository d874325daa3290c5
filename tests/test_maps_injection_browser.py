"""Data is never code: hostile text through `map`, `build` and make_map, read back from the DOM.

Each page is opened in headless Chromium with all network blocked; every text is read
with textContent / document.title, never searched for in the HTML, so the tests see
what a reader sees. Template payloads must show exactly as written (`{{ 6*7 }}`, not
42), markup must stay text, and the `exec` payload must create no file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_support import offline_page, open_map, require_browser
from geoevents.cli import main
from geoevents.maps.html import make_map, save_map
from injection_support import (FILE_TEXT_FIELDS, PUBLISHED, combined, hostile_events, payloads, value,
                               write_control_snapshot, write_event_file)

pytestmark = pytest.mark.browser

LAST_POPUP = "[...document.querySelectorAll('.leaflet-popup-content')].map(e => e.textContent).pop() || ''"
# a file name cannot hold '/', so this payload touches a file in the working folder
RELATIVE_EXEC = "{{ lipsum.__globals__.os.popen('touch executed').read() }}"
NAME_PAYLOAD = "{{7*7}}-{% if 1 %}x{% endif %}-{# c #}-<b>-{{ " + RELATIVE_EXEC


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0 and result.exception is None, (result.output, result.exception)


def text(page, selector: str) -> str:
    return page.evaluate("(s) => document.querySelector(s).textContent", selector)


def popup_texts(page) -> list[str]:
    """The popup of every event marker, clicked one after the other."""
    markers = page.locator("path.ge-event")
    texts, previous = [], ""
    for index in range(markers.count()):
        markers.nth(index).dispatch_event("click")
        page.wait_for_function(f"(previous) => ({LAST_POPUP}) !== previous", arg=previous, timeout=5000)
        previous = page.evaluate(LAST_POPUP)
        texts.append(previous)
    return texts


def assert_each_popup_shows(shown: list[str], rows: list[dict], fields) -> None:
    """One popup per row (found by its claim), holding every field of that row as written."""
    assert len(shown) == len(rows)
    for row in rows:
        popup = [t for t in shown if row["claim"] in t]
        assert len(popup) == 1, (row["claim"], shown)
        for field in fields:
            assert row[field] in popup[0], (field, popup[0])


def control_popup(page) -> str:
    page.locator("path.ge-control").first.dispatch_event("click")
    page.wait_for_function(f"({LAST_POPUP}).startsWith('Held by')", timeout=5000)
    return page.evaluate(LAST_POPUP)


def assert_nothing_ran(page, log, *markers: Path) -> None:
    assert page.evaluate("window.__pwned") is None
    assert log.dialogs == [] and log.js_errors() == []
    assert page.evaluate("document.querySelectorAll('img[onerror], img[src=\"x\"], b').length") == 0
    live = "[...document.scripts].filter(s => s.type !== 'application/json' && s.textContent.includes('__pwned'))"
    assert page.evaluate(f"{live}.length") == 0
    for marker in markers:
        assert not marker.exists(), f"a template ran: {marker} was created"


def plain_event() -> dict:
    return {"id": "plain", "date": "2024-08-06", "place": "Sudzha", "kind": "advance", "claimant": "Tester",
            "claim": "A plain event.", "status": "reported", "source": "Wire", "latitude": 51.19, "longitude": 35.27}


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".geojson"])
def test_every_event_text_field_and_the_titles_stay_literal(suffix: str, tmp_path: Path) -> None:
    require_browser()
    marker = tmp_path / "executed"
    events = hostile_events(marker)
    title, subtitle = combined(marker, "title"), combined(marker, "subtitle")
    header = {"title": title} if suffix == ".yaml" else None  # the YAML header's title, else --title
    source = write_event_file(tmp_path / f"events{suffix}", events, header)
    out = tmp_path / "map.html"
    run("map", str(source), "-o", str(out), "--subtitle", subtitle, *([] if header else ["--title", title]))
    assert not marker.exists()
    with offline_page() as (page, log):
        open_map(page, out)
        assert page.evaluate("document.title") == title
        assert text(page, ".ge-title-main") == title
        assert text(page, ".ge-title-sub") == subtitle
        assert_each_popup_shows(popup_texts(page), events, FILE_TEXT_FIELDS)
        filters, sources = text(page, ".ge-filters"), text(page, ".ge-sources")
        hrefs = page.evaluate("[...document.querySelectorAll('.ge-sources a[href]')]"
                              ".map(a => decodeURIComponent(a.getAttribute('href')))")
        for event in events:
            assert f"{event['claimant']} (1)" in filters
            assert f"{event['source']} ({PUBLISHED})" in sources
            assert event["source_url"] in hrefs  # ".../{{7*7}}", not ".../49"
        assert_nothing_ran(page, log, marker)


def test_every_column_and_control_property_through_make_map(tmp_path: Path) -> None:
    """Library callers can pass any column (kind, status, dates, region names): all stay text."""
    require_browser()
    import geopandas as gpd
    import shapely

    marker = tmp_path / "executed"
    columns = ("id", "date", "date_precision", "date_text", "place", "admin1_code", "admin1_name",
               "country_code", "kind", "actor", "claimant", "claim", "figure_unit", "status", "source",
               "source_url", "published")
    families = list(payloads(marker).values())
    records = [{c: value(c, p) for c in columns} | {"figure": 5, "approximate": False} for p in families]
    points = [shapely.Point(35.0 + 0.25 * i, 51.0 + 0.15 * i) for i in range(len(records))]
    events = gpd.GeoDataFrame(records, geometry=points, crs=4326)
    controller, status, source = (combined(marker, name) for name in ("controller", "status", "source"))
    control = gpd.GeoDataFrame(
        {"date": [dt.date(2024, 8, 10), dt.date(2024, 8, 20)], "controller": [controller] * 2,
         "source": [source] * 2, "status": [status] * 2},
        geometry=[shapely.box(35.0, 51.1, 35.4, 51.4), shapely.box(34.9, 51.1, 35.6, 51.5)], crs=4326)
    title, subtitle = combined(marker, "title"), combined(marker, "subtitle")
    out = save_map(make_map(events, control=control, boundaries=False, title=title, subtitle=subtitle),
                   tmp_path / "api.html")
    assert not marker.exists()
    with offline_page() as (page, log):
        open_map(page, out)
        assert page.evaluate("document.title") == title
        assert text(page, ".ge-title-sub") == subtitle
        assert_each_popup_shows(popup_texts(page), records, [c for c in columns if c != "id"])  # no ids in pages
        legend = text(page, ".ge-legend")
        assert all(record["kind"] in legend for record in records)
        assert text(page, ".ge-slider-caption").startswith(f"2024-08-20: {controller} held ")
        held = control_popup(page)
        assert f"Held by {controller} on 2024-08-20" in held
        assert f"Status: {status}" in held and f"Source: {source}" in held
        assert f"{source} (control layer)" in text(page, ".ge-sources")
        assert_nothing_ran(page, log, marker)


@pytest.mark.parametrize("layout", ["folder", "file"])
def test_control_layer_names_and_properties_stay_literal(layout: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`--control ctl-{{7*7}}...`: the folder or file name is credited as written, not as ctl-49."""
    require_browser()
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "executed-absolute"
    # control properties are capped at 200 characters, so the controller carries the template
    # families (with a relative marker path) and the markup ones stay in the names
    families = payloads(Path("executed"))
    controller = "{{6*7}} " + " | ".join(families[k] for k in ("expr", "comment", "lone", "exec"))
    assert len(controller) <= 200
    name = "ctl-" + NAME_PAYLOAD
    boxes = {"2024-08-10": (35.0, 51.1, 35.4, 51.4), "2024-08-20": (34.9, 51.1, 35.6, 51.5)}
    if layout == "folder":
        control = tmp_path / name
        control.mkdir()
        for day, box in boxes.items():
            write_control_snapshot(control / f"{day}.geojson", box, {"controller": controller})
    else:
        import json

        control = tmp_path / f"{name}.geojson"
        features = []
        for day, box in boxes.items():
            one = write_control_snapshot(tmp_path / "one.geojson", box, {"controller": controller, "date": day})
            features += json.loads(one.read_text(encoding="utf-8"))["features"]
        control.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        (tmp_path / "one.geojson").unlink()
    events = write_event_file(tmp_path / "events.yaml", [plain_event()], {"published": PUBLISHED})
    out = tmp_path / "map.html"
    run("map", str(events), "--control", str(control), "-o", str(out))
    with offline_page() as (page, log):
        open_map(page, out)
        assert f"{name} (control layer)" in text(page, ".ge-sources")
        assert text(page, ".ge-slider-caption").startswith(f"2024-08-20: {controller} held ")
        held = control_popup(page)
        assert f"Held by {controller} on 2024-08-20" in held and f"Source: {name}" in held
        assert_nothing_ran(page, log, marker, tmp_path / "executed")


def test_build_keeps_seed_names_titles_and_subtitles_literal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`build`: title from the header, subtitle made from source and published, names of files."""
    require_browser()
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "executed-absolute"
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stem = "seed-" + NAME_PAYLOAD
    title, source = combined(marker, "title"), combined(marker, "source")
    event = {k: v for k, v in plain_event().items() if k != "source"}  # the header's source applies
    write_event_file(seeds / f"{stem}.yaml", [event],
                     {"title": title, "source": source, "published": "2025-02-07"})
    control = seeds / f"{stem}.control"
    control.mkdir()
    write_control_snapshot(control / "2024-08-10.geojson", (35.0, 51.1, 35.4, 51.4), {"controller": "UA"})
    run("build", str(seeds), "-o", str(tmp_path / "maps"))
    out = tmp_path / "maps" / f"{stem}.html"
    with offline_page() as (page, log):
        open_map(page, out)
        assert page.evaluate("document.title") == title
        assert text(page, ".ge-title-main") == title
        assert text(page, ".ge-title-sub") == f"As reported by {source}, 2025-02-07"
        sources = text(page, ".ge-sources")
        assert f"{source} (2025-02-07)" in sources and f"{control.name} (control layer)" in sources
        (popup,) = popup_texts(page)
        assert f"Source: {source}" in popup
        assert_nothing_ran(page, log, marker, tmp_path / "executed")


def test_unquoted_date_title_in_a_yaml_header_is_the_title_text(tmp_path: Path) -> None:
    """`title: 2025-02-07` passes validate, so `map` and `build` must show it, not crash."""
    require_browser()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    path = seeds / "dated.yaml"
    path.write_text("title: 2025-02-07\npublished: 2025-02-07\nsource: Wire\nevents:\n"
                    "  - id: a\n    date: 2024-08-12\n    place: Sudzha\n    kind: advance\n"
                    "    claimant: X\n    claim: y\n    status: reported\n", encoding="utf-8")
    run("validate", str(path))
    run("map", str(path), "-o", str(tmp_path / "map.html"))
    run("build", str(seeds), "-o", str(tmp_path / "built"))
    built = {tmp_path / "map.html": None, tmp_path / "built" / "dated.html": "As reported by Wire, 2025-02-07"}
    for out, subtitle in built.items():
        with offline_page() as (page, log):
            open_map(page, out)
            assert page.evaluate("document.title") == "2025-02-07"
            assert text(page, ".ge-title-main") == "2025-02-07"
            assert page.evaluate("document.querySelector('.ge-title-sub')?.textContent ?? null") == subtitle
            assert log.js_errors() == []
