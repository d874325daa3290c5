"""One self-contained, offline HTML map of events, regions, area claims and control layers.

Built on folium (map shell, scale bar, page assembly) with a small inline
renderer (geoevents.js) that draws the events from one JSON block: a map of
100,000 events stays a few MB and draws in about a second, where one folium
Marker per event would be ~100 MB. Output is deterministic: element ids are
numbered, not random, so rebuilding a map gives a byte-identical file.
"""

from __future__ import annotations

import html
import itertools
import os
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element

from geoevents.maps import assets, style
from geoevents.maps.basemap import basemap_json, build_basemap
from geoevents.maps.layers import area_claims, control_layer, region_layer, region_refs
from geoevents.maps.payload import column, constant_or_list, day_offsets, events_payload, http_url, script_json
from geoevents.maps.timeaxis import time_axis
from geoevents.maps.view import located_events, map_extent, ordered_events
from geoevents.territory.layer_meta import LayerMeta, load_control

CLUSTER_ABOVE = 500  # events: more than this and nearby markers are grouped
CANVAS_ABOVE = 1000  # events: more than this and markers are drawn on a canvas, not as SVG nodes
CLUSTER_MAX_ZOOM = 12  # at this zoom and closer every event is drawn individually
# the in-page renderer, in load order: label placement, basemap, time control, then the map itself
RENDERER_SCRIPTS = ("labels.js", "basemap.js", "timeaxis.js", "geoevents.js")

TILES = {
    "name": "OpenStreetMap",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
}
CREDITS = [
    {"name": "GeoNames", "url": "https://www.geonames.org/", "terms": "place names and coordinates, CC BY 4.0"},
    {"name": "Natural Earth", "url": "https://www.naturalearthdata.com/", "terms": "boundaries, public domain"},
    {"name": "Leaflet", "url": "https://leafletjs.com/", "terms": "map library, BSD-2-Clause"},
]
TILE_CREDIT = {"name": "OpenStreetMap", "url": "https://www.openstreetmap.org/copyright",
               "terms": "background tiles (loaded only when online), ODbL"}


class _Verbatim(Element):
    """Page text written exactly as given, never parsed as a template.

    branca hands the output of its macro elements to jinja2.Template a second time
    (MacroElement.render wraps each macro's result in Element(...)), so any user text
    that travelled that way would run as template code. Everything geoevents adds to
    the page goes through this element instead: render() returns the text itself."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _DataLayer(Element):
    """The JSON block and the call that hands it to the renderer, both added verbatim."""

    def __init__(self, json_text: str) -> None:
        super().__init__()
        self._name = "GeoeventsData"
        self.json = json_text

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        name = self.get_name()
        figure.html.add_child(
            _Verbatim(f'\n<script type="application/json" id="geoevents-data">{self.json}</script>'), name=name)
        figure.script.add_child(_Verbatim(
            f"\ngeoeventsMap({self._parent.get_name()}, "
            'JSON.parse(document.getElementById("geoevents-data").textContent));'), name=name)
        return ""


def make_map(
    events: Any,
    *,
    control: Any = None,
    control_meta: Any = None,
    boundaries: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    cdn: bool = False,
    tiles: bool = True,
    basemap: bool = True,
) -> folium.Map:
    """A folium Map of events (a GeoDataFrame with the event columns of CONTRACTS.md).

    control: a read_control() GeoDataFrame, or a file/folder to read with it.
    control_meta: the layer's name/source/credit (a LayerMeta or dict); read from the
        layer's files when not given (see geoevents.territory.layer_meta).
    boundaries: admin-1 polygons (read_boundaries columns); None loads the shipped
        ones, False draws no regions.
    cdn: link Leaflet from its CDN instead of inlining it (smaller, needs network).
    tiles: offer OpenStreetMap tiles (online only) beside the offline basemap.
    basemap: draw the offline basemap (land, sea, borders, labels) from data/boundaries.
    """
    control, meta = load_control(control, control_meta)
    title, subtitle = (None if t is None else str(t) for t in (title, subtitle))
    events = ordered_events(events)
    # events without a location still count in their region's claims, but get no marker;
    # markers and area symbols share one row numbering (the renderer's event index)
    located = located_events(events)
    areas = area_claims(located)
    layers = control_layer(control)
    extent = map_extent(located, areas, layers, boundaries)
    base = build_basemap(extent, tuple(_countries(located))) if basemap and extent else None
    regions = region_layer(events, boundaries, clip=base.box if base else None)
    axis, t0, t1 = time_axis(located, [c["date"] for c in layers])
    table = events_payload(located) | day_offsets(t0, t1)
    table["region"] = constant_or_list(region_refs(located, regions))
    payload: dict[str, Any] = {
        "title": title,
        "subtitle": subtitle,
        "events": table,
        "regions": regions,
        "areas": areas,
        "control": layers,
        "controlMeta": meta.as_dict() if meta else None,
        "time": axis,
        "basemap": basemap_json(base) if base else None,
        "sources": _sources(events, control, meta),
        "credits": CREDITS + ([TILE_CREDIT] if tiles else []),
        "tiles": TILES if tiles else None,
        "cluster": len(events) > CLUSTER_ABOVE,
        "clusterMaxZoom": CLUSTER_MAX_ZOOM,
        "canvas": len(events) > CANVAS_ABOVE,
        "style": {
            "kinds": style.KIND_COLOURS,
            "order": style.KIND_ORDER,
            "unknown": style.UNKNOWN_KIND_COLOUR,
            "statuses": style.STATUS_STYLES,
            "region": style.REGION_STYLE,
            "area": style.AREA_SYMBOL_STYLE,
            "control": style.CONTROL_STYLE,
            "gained": style.GAINED_STYLE,
            "lost": style.LOST_STYLE,
            "basemap": style.BASEMAP_STYLE,
        },
    }
    payload["bounds"] = _rounded_bounds(extent)

    fmap = folium.Map(location=None, zoom_start=2, tiles=None, control_scale=True,
                      prefer_canvas=payload["canvas"], width="100%", height="100%")
    if cdn:
        fmap.default_js = [("leaflet", assets.LEAFLET_CDN_JS)]
        fmap.default_css = [("leaflet_css", assets.LEAFLET_CDN_CSS)]
        head = ""
    else:
        fmap.default_js = []
        fmap.default_css = []
        head = f"<style>{assets.leaflet_css()}</style>\n<script>{assets.leaflet_js()}</script>\n" \
               f"<script>{assets.marker_icons_js()}</script>\n"
    head += f"<style>{_read('geoevents.css')}</style>\n"
    head += "".join(f"<script>{assets.package_js(name)}</script>\n" for name in RENDERER_SCRIPTS)
    figure = fmap.get_root()
    figure.title = html.escape(title or "geoevents map")
    figure.header.add_child(_Verbatim(head), name="geoevents_assets")
    fmap.add_child(_DataLayer(script_json(payload)), name="geoevents_data")
    _number_ids(figure)
    return fmap


def render_html(fmap: folium.Map) -> str:
    """The complete page as text (deterministic for the same inputs)."""
    return fmap.get_root().render()


def save_map(fmap: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the page atomically (geoevents.io.atomic: temp file beside it, then os.replace)."""
    from geoevents.io.atomic import write_text

    return write_text(path, render_html(fmap))


def _read(name: str) -> str:
    from importlib import resources

    return resources.files("geoevents.maps").joinpath(name).read_text(encoding="utf-8")


def _sources(events: Any, control: Any, meta: LayerMeta | None = None) -> list[dict[str, Any]]:
    """Every source cited, once each, in order of first appearance; the control layer last, with its credit."""
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    names = column(events, "source")
    urls = column(events, "source_url")
    published = column(events, "published")
    for name, url, day in zip(names, urls, published):
        name = None if pd.isna(name) else str(name)
        raw_url = None if url is None or (isinstance(url, float) and np.isnan(url)) else str(url)
        if not name and not raw_url:
            continue
        key = (name, raw_url)
        if key not in seen:
            link = http_url(raw_url)
            seen[key] = {"name": name, "url": link, "text": raw_url if raw_url and not link else None,
                         "published": None if pd.isna(day) else str(day)}
    if control is not None and len(control) and "source" in control.columns:
        for name in control["source"].dropna().unique():
            key = (str(name), None)
            own = meta is not None and meta.source == str(name)
            link = http_url(str(name)) or (meta.source_url if own else None)
            entry = {"name": f"{name} (control layer)", "url": link, "text": None, "published": None}
            if own and meta.name and meta.name != str(name):
                entry["layer"] = meta.name
            if own and meta.credit:
                entry["credit"] = meta.credit
            seen.setdefault(key, entry)
    return list(seen.values())


def _countries(events: Any) -> list[str]:
    return sorted({str(c) for c in column(events, "country_code") if isinstance(c, str) and c})


def _rounded_bounds(extent: tuple[float, float, float, float] | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] for Leaflet's fitBounds."""
    if extent is None:
        return None
    west, south, east, north = extent
    return [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]]


def _number_ids(root: Any) -> None:
    """Replace folium's random element ids with a counter (byte-identical rebuilds)."""
    counter = itertools.count(1)

    def walk(element: Any) -> None:
        element._id = f"{next(counter):03d}"
        for child in list(element._children.values()):
            walk(child)

    walk(root)
