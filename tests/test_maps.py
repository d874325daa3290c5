"""HTML map builder: offline assets, deterministic output, escaping, layers and figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely

from browser_support import (HOSTILE_CLAIM, HOSTILE_PLACE, HOSTILE_URL, sample_boundaries, sample_events,
                             write_control_geojson)
from geoevents.maps.html import make_map, render_html, save_map
from geoevents.maps.layers import area_claims, area_symbol_label, control_layer, geodesic_circle, region_layer
from geoevents.maps.payload import http_url, script_json
from geoevents.territory.area import geodesic_area_km2_scalar


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="geoevents-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def texts(data: dict, name: str) -> list:
    """Decode one text column of the page's event table (see payload.encode_text)."""
    column, n = data["events"][name], len(data["events"]["lat"])
    if "k" in column:
        return [column["k"]] * n
    if "v" in column:
        return column["v"]
    return [None if k < 0 else column["d"][k] for k in column["c"]]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_map(sample_events(), boundaries=sample_boundaries(), title="Kursk <test>"))


def test_rebuilding_gives_identical_bytes(tmp_path: Path) -> None:
    first = save_map(make_map(sample_events(), boundaries=sample_boundaries()), tmp_path / "a.html").read_bytes()
    second = save_map(make_map(sample_events(), boundaries=sample_boundaries()), tmp_path / "b.html").read_bytes()
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]  # no temp files left


def test_offline_page_inlines_leaflet_and_links_nothing(page: str) -> None:
    assert 'version="1.9.4"' in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*stylesheet", page)
    assert "images/marker-icon.png" not in page and "data:image/png;base64," in page
    for dropped in ("jquery", "bootstrap", "awesome-markers", "font-awesome", "fontawesome"):
        assert dropped not in page.lower()


def test_cdn_option_links_only_leaflet(page: str) -> None:
    inline = page
    page = render_html(make_map(sample_events(), boundaries=sample_boundaries(), title="Kursk <test>", cdn=True))
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    styles = re.findall(r'<link[^>]*href="([^"]+)"', page)
    assert scripts == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"]
    assert styles == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"]
    assert 'version="1.9.4"' not in page  # not inlined as well
    assert len(page) < len(inline) - 150_000  # Leaflet's script, style and icons are not in the page


def test_hostile_text_never_appears_as_markup(page: str) -> None:
    assert HOSTILE_CLAIM not in page and "<img src=x" not in page and "<b>Bold" not in page
    assert "<title>Kursk &lt;test&gt;</title>" in page
    data = data_block(page)
    assert HOSTILE_CLAIM in texts(data, "claim") and HOSTILE_PLACE in texts(data, "place")  # verbatim, for textContent
    links = texts(data, "url")
    assert HOSTILE_URL not in links and "https://example.org/a" in links
    assert texts(data, "url_text").count(HOSTILE_URL) == 1  # shown as plain text
    assert all(s["url"] is None or s["url"].startswith("http") for s in data["sources"])


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "a & b", "c": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["a"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/x", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,<b>", False), ("//example.org", False),
    ("ftp://example.org", False), (None, False), ("http://", False),
])
def test_only_absolute_http_urls_become_links(url: str | None, expected: bool) -> None:
    assert (http_url(url) is not None) is expected


def test_area_claim_without_geometry_is_an_equal_area_circle() -> None:
    circle = geodesic_circle(35.6, 51.55, 1000.0)
    assert geodesic_area_km2_scalar(circle) == pytest.approx(1000.0, rel=0.002)
    areas = area_claims(sample_events())
    assert len(areas) == 1  # troops figure is not an area; only the km2 claim is drawn
    assert areas[0]["symbol"] is True
    assert areas[0]["label"] == "≈1,000 km² claimed — area symbol, not a frontline"
    assert area_symbol_label(1268, False) == "1,268 km² claimed — area symbol, not a frontline"


def test_area_claim_with_its_own_polygon_is_drawn_as_given() -> None:
    events = sample_events()
    polygon = shapely.box(35.0, 51.0, 35.5, 51.4)
    events.loc[1, "geometry"] = polygon
    areas = area_claims(events)
    assert areas[0]["symbol"] is False
    assert shapely.geometry.shape(areas[0]["geometry"]).equals(polygon)


def test_regions_named_by_events_carry_their_control_claims() -> None:
    regions = {r["code"]: r for r in region_layer(sample_events(), sample_boundaries())}
    assert sorted(regions) == ["RU-KRS", "UA-59", "UA-63"]  # Belgorod is named by no event
    kursk = regions["RU-KRS"]
    assert kursk["events"] == 3
    assert [(c["kind"], c["figure"], c["unit"]) for c in kursk["claims"]] == [("advance", None, None), ("control", 1000.0, "km2")]
    assert regions["UA-63"]["claims"] == []


def test_control_layer_changes_match_diff_control(tmp_path: Path) -> None:
    from geoevents.territory.control import read_control

    layer = control_layer(read_control(write_control_geojson(tmp_path / "control.geojson")))
    assert [e["date"] for e in layer] == ["2024-08-10", "2024-08-20", "2024-09-01"]
    first, grown, shrunk = layer
    assert "since" not in first
    assert grown["gained_km2"] == pytest.approx(grown["area_km2"] - first["area_km2"], rel=0.003)
    assert grown["lost_km2"] == 0 and grown["lost"] is None
    assert shrunk["lost_km2"] == pytest.approx(grown["area_km2"] - shrunk["area_km2"], rel=0.003)
    assert 900 < first["area_km2"] < 960  # 0.4° x 0.3° at 51°N is ~930 km²


def test_sources_box_lists_each_source_once(page: str) -> None:
    sources = data_block(page)["sources"]
    pairs = [(s["name"], s["url"] or s["text"]) for s in sources]
    assert len(pairs) == len(set(pairs)) == 4  # Example Wire is cited twice, listed once
    assert ("Other Paper", "http://example.net/b") in pairs and ("Other Paper", None) in pairs
    evil = next(s for s in sources if s["name"] == "Evil <i>source</i>")
    assert evil["url"] is None and evil["text"] == HOSTILE_URL


def test_many_events_are_clustered_on_a_canvas() -> None:
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(1)
    n = 2000
    events = gpd.GeoDataFrame({"id": [f"e{i}" for i in range(n)], "kind": rng.choice(["attack", "advance"], n)},
                              geometry=gpd.points_from_xy(rng.uniform(30, 40, n), rng.uniform(45, 52, n)), crs=4326)
    data = data_block(render_html(make_map(events, boundaries=sample_boundaries())))
    assert data["cluster"] is True and data["canvas"] is True
    assert len(data["events"]["lat"]) == n
    assert sorted(data["events"]["kind"]["d"]) == ["advance", "attack"]  # each distinct string once
    assert sorted(set(texts(data, "kind"))) == ["advance", "attack"]
    assert data["events"]["claim"] == {"k": None} and texts(data, "claim") == [None] * n  # absent column


def test_text_columns_take_their_cheapest_shape() -> None:
    from geoevents.maps.payload import encode_text

    assert encode_text(["a", "a", "a"]) == {"k": "a"}
    assert encode_text([None, float("nan"), ""]) == {"k": None}
    assert encode_text(["b", "a", "a", "a", "b", None]) == {"d": ["a", "b"], "c": [1, 0, 0, 0, 1, -1]}
    assert encode_text(["x", "y", "z"]) == {"v": ["x", "y", "z"]}


def test_events_without_location_keep_marker_and_area_numbering_aligned() -> None:
    events = sample_events()
    events.loc[3, "geometry"] = None  # Vovchansk (May 2024) sorts before the area claim
    data = data_block(render_html(make_map(events, boundaries=sample_boundaries())))
    assert len(data["events"]["lat"]) == 4
    (area,) = data["areas"]
    assert texts(data, "claim")[area["event"]] == "About a thousand square kilometres held."
    kharkiv = next(r for r in data["regions"] if r["code"] == "UA-63")
    assert kharkiv["events"] == 1  # the unlocated event still counts for its region


def test_png_is_written_atomically_and_reproducibly(tmp_path: Path) -> None:
    from geoevents.maps.png import make_png

    first = make_png(sample_events(), tmp_path / "a.png", boundaries=sample_boundaries(), title="T").read_bytes()
    second = make_png(sample_events(), tmp_path / "b.png", boundaries=sample_boundaries(), title="T").read_bytes()
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
    with pytest.raises(ValueError, match="no event has a location"):
        make_png(sample_events().iloc[0:0], tmp_path / "c.png", boundaries=sample_boundaries())
    assert not (tmp_path / "c.png").exists()


# ---- the renderer's contract, read from geoevents.js itself (no browser needed) ----
# Leaflet treats a *string* given to bindTooltip / bindPopup / setContent / divIcon({html})
# as HTML. The renderer must hand Leaflet DOM nodes built with textContent, and never use
# an HTML sink on its own. The Chromium tests check the result; this checks the source,
# so a regression is caught even where no browser runs.

HTML_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser",
              "createContextualFragment", "setHTMLUnsafe", "srcdoc", "eval(", "new Function",
              "setAttribute(\"on", "setAttribute('on")
LEAFLET_CONTENT = re.compile(r"\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)\(")
DOM_BUILDERS = ("el", "link", "swatch", "eventPopup", "regionPopup")  # functions returning DOM nodes


def renderer_source() -> str:
    """geoevents.js without comments (its header comment names innerHTML to forbid it)."""
    text = (Path(__file__).resolve().parents[1] / "geoevents" / "maps" / "geoevents.js").read_text("utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|\s//[^\"'\n]*$", "", text)


def balanced(text: str, start: int, opening: str, closing: str) -> str:
    """The text from text[start] (an opening bracket) to its matching closing bracket."""
    depth, quote = 0, None
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == "\\":
                continue
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    raise AssertionError(f"unbalanced {opening} at {start}")


def first_argument(call: str) -> str:
    """The first argument of `(a, b)`: up to the first comma at depth 1."""
    depth = 0
    for i, ch in enumerate(call):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if (ch == "," and depth == 1) or depth == 0:
            return call[1:i].strip()
    raise AssertionError(call)


def is_dom_node(expression: str, nodes: set[str]) -> bool:
    name = re.match(r"[A-Za-z_$][\w$]*", expression)
    if name is None:
        return False
    if expression == name.group() and name.group() in nodes:
        return True
    return name.group() in DOM_BUILDERS and expression[name.end():].startswith("(") and \
        balanced(expression, name.end(), "(", ")") == expression[name.end():]


def node_variables(body: str) -> set[str]:
    return set(re.findall(r"var\s+([A-Za-z_$][\w$]*)\s*=\s*(?:el|link|swatch|eventPopup|regionPopup|document\.createElement)\(",
                          body))


def content_problems(source: str) -> list[str]:
    problems = []
    for match in LEAFLET_CONTENT.finditer(source):
        argument = first_argument(balanced(source, match.end() - 1, "(", ")"))
        where = f"{match.group(1)} at line {source.count(chr(10), 0, match.start()) + 1}: {argument[:70]!r}"
        if argument.startswith("function"):
            body = balanced(argument, argument.index("{"), "{", "}")
            returns = [r.strip() for r in re.findall(r"\breturn\s+([^;]+);", body)]
            if not returns or not all(is_dom_node(r, node_variables(body)) for r in returns):
                problems.append(f"returns a string, not a DOM node: {where}")
        elif not is_dom_node(argument, set()):
            problems.append(f"passes a string, not a DOM node: {where}")
    for match in re.finditer(r"divIcon\(\s*\{[^}]*\bhtml\s*:\s*([^,}]+)", source):
        value = match.group(1).strip()
        if not re.search(rf"var\s+{re.escape(value)}\s*=\s*el\(", source):
            problems.append(f"divIcon html is not a DOM node: {value!r}")
    return problems


def test_renderer_never_hands_markup_to_the_page() -> None:
    source = renderer_source()
    assert [sink for sink in HTML_SINKS if sink in source] == []
    assert content_problems(source) == []
    # the check has something to check: every tooltip and popup of the renderer
    assert len(LEAFLET_CONTENT.findall(source)) >= 6 and "divIcon" in source
    el = balanced(source, source.index("{", source.index("function el(")), "{", "}")
    assert "document.createElement" in el and ".textContent" in el


@pytest.mark.parametrize("planted", [
    'marker.bindTooltip(function () { return (str("place", i) || "") + " · " + kindOf(i); });',
    'marker.bindTooltip(str("place", i));',
    'layer.bindPopup(function () { var div = el("div"); return "<b>" + region.name + "</b>"; });',
    'L.popup().setContent("<p>" + str("claim", i) + "</p>");',
    'var icon = L.divIcon({ html: String(cell.count), className: "x" });',
])
def test_the_contract_check_catches_markup_strings(planted: str) -> None:
    """The check itself can fail: each of these lines, planted in the renderer, is caught."""
    assert content_problems(renderer_source() + "\n" + planted + "\n")
