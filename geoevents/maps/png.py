"""A static PNG of the same map for print and social media: no tiles, no browser.

Drawn with matplotlib on the shipped boundaries and the offline basemap
(Natural Earth outlines, GeoNames places), showing what the HTML map shows when it
opens: the events up to the story's date, the control snapshot on or before it
(with its name, date and credit), the same symbols and the same legend entries.
Labels are placed so they overlap neither each other nor the markers
(geoevents.maps.placement); a geodesic scale bar and the sources line make it
printable as it is. Written with fixed metadata so rebuilding gives the same bytes.
Every text is drawn literally: matplotlib would otherwise read `$...$` in a title,
claim source or legend entry as mathtext (and a lone `$` as an error), or hand it
to LaTeX when a user's matplotlibrc sets text.usetex.
"""

from __future__ import annotations

import math
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoevents.maps import style
from geoevents.maps.layers import area_claims, control_layer, geodesic_circle, region_layer, region_refs
from geoevents.maps.payload import column, event_points, uncertainty_km
from geoevents.maps.placement import BELOW_THEN_ABOVE, BESIDE, CENTRED, LabelSpec, place_labels
from geoevents.maps.timeaxis import opening_state
from geoevents.maps.view import located_events, map_extent, ordered_events

BASE = style.BASEMAP_STYLE
MARKER_PT = 7.0  # event marker diameter in points
CITY_LABELS = 16  # most populous places named on the PNG
STATUS_LINES = {"claimed": "--", "disputed": ":"}


@dataclass
class MapState:
    """Everything the PNG draws, decided before drawing (and what its legend lists)."""

    events: Any
    located: Any
    shown: list[bool]
    day: str | None
    snapshot: str | None
    extent: tuple[float, float, float, float]
    areas: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    refs: list[int]
    control: list[dict[str, Any]]
    meta: Any
    base: Any
    uncertainty: list[float | None] = field(default_factory=list)

    def snapshot_entries(self) -> list[dict[str, Any]]:
        return [c for c in self.control if c["date"] == self.snapshot]


def make_png(events: Any, path: str | os.PathLike[str], **drawing: Any) -> Path:
    """Write a PNG: the basemap, regions, the control snapshot, area claims and events, with legend.

    drawing: the keywords of png_figure (control, control_meta, boundaries, title, subtitle, dpi, basemap)."""
    import matplotlib.pyplot as plt

    from geoevents.io.atomic import atomic_path

    fig = png_figure(events, **drawing)
    try:
        with atomic_path(path) as temp:
            fig.savefig(temp, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.15)
    finally:
        plt.close(fig)
    return Path(path)


def png_figure(
    events: Any,
    *,
    control: Any = None,
    control_meta: Any = None,
    boundaries: Any = None,
    countries: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    dpi: int = 150,
    basemap: bool = True,
) -> Any:
    """The matplotlib Figure that make_png saves (every Text in it drawn literally).

    countries: unused, kept for callers of the earlier signature (the basemap draws them)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geoevents.plotting import LITERAL_TEXT

    state = map_state(events, control=control, control_meta=control_meta, boundaries=boundaries, basemap=basemap)
    # Text objects take both settings when created, so they hold for drawing and saving later
    with matplotlib.rc_context({**LITERAL_TEXT, "font.family": "DejaVu Sans", "hatch.linewidth": 1.2}):
        fig = plt.figure(figsize=(11, 8), dpi=dpi)
        try:
            _draw(fig, state, title=title, subtitle=subtitle)
        except BaseException:
            plt.close(fig)
            raise
    return fig


def map_state(events: Any, *, control: Any = None, control_meta: Any = None, boundaries: Any = None,
              basemap: bool = True) -> MapState:
    """What the PNG shows: the same opening day, snapshot, regions and symbols as the HTML map."""
    from geoevents.maps.basemap import build_basemap
    from geoevents.territory.layer_meta import load_control

    control, meta = load_control(control, control_meta)
    events = ordered_events(events)
    located = located_events(events)
    areas = area_claims(located)
    layers = control_layer(control)
    extent = map_extent(located, areas, layers, boundaries)
    if extent is None:
        raise ValueError("nothing to draw: no event has a location")
    day, snapshot, shown = opening_state(located, [c["date"] for c in layers])
    focus = tuple(sorted({str(c) for c in column(located, "country_code") if isinstance(c, str) and c}))
    base = build_basemap(extent, focus) if basemap else None
    regions = region_layer(events, boundaries, clip=base.box if base else None)
    return MapState(events=events, located=located, shown=shown, day=day, snapshot=snapshot,
                    extent=_framed(extent), areas=areas, regions=regions, refs=region_refs(located, regions),
                    control=layers, meta=meta, base=base, uncertainty=uncertainty_km(located))


def _framed(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The extent with a margin, widened to the map frame's shape (about 4:3 on paper)."""
    west, south, east, north = extent
    pad_x = max((east - west) * 0.12, 0.5)
    pad_y = max((north - south) * 0.12, 0.35)
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    shrink = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * shrink, north - south
    target = 1.2  # width / height on the page
    if width / height < target:
        grow = (height * target / shrink - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = ((east - west) * shrink / target - height) / 2
        south, north = south - grow, north + grow
    return west, south, east, north


# ---------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: its text and the symbol drawn beside it (see _handle)."""

    label: str
    # kind:<name> | stack | estimated | region-level | region | area | control | gained | lost
    # | border | admin1 | note (words only)
    symbol: str


def legend_entries(state: MapState) -> list[LegendEntry]:
    """The PNG's legend, line by line, in the order and words of the HTML map's legend."""
    entries: list[LegendEntry] = []
    shown_points = [i for i, ok in enumerate(state.shown) if ok and state.refs[i] < 0]
    kinds = [str(k) if isinstance(k, str) else "other" for k in column(state.located, "kind")]
    present: dict[str, int] = {}
    for i, ok in enumerate(state.shown):
        if ok:
            present[kinds[i]] = present.get(kinds[i], 0) + 1
    for kind in dict.fromkeys(style.KIND_ORDER + sorted(present)):
        if kind in present:
            entries.append(LegendEntry(f"{kind} ({present[kind]})", f"kind:{kind}"))
    if shown_points:
        entries.append(LegendEntry("Outline: solid reported or confirmed, dashed claimed, dotted disputed.", "note"))
    lon, lat = event_points(state.located.geometry)
    spots = [(round(lon[i], 6), round(lat[i], 6)) for i in shown_points]
    if len(spots) != len(set(spots)):
        entries.append(LegendEntry("Several events at one place (number: how many)", "stack"))
    if any(state.uncertainty[i] for i in shown_points):
        entries.append(LegendEntry("Estimated place: the circle shows how far off it may be", "estimated"))
    if any(state.shown[i] and r >= 0 for i, r in enumerate(state.refs)):
        entries.append(LegendEntry("Events located only to a region (label: how many)", "region-level"))
    if any(r["level"] != "country" for r in state.regions):
        entries.append(LegendEntry("Region named by events (darker: has control claims)", "region"))
    if any(a["symbol"] and state.shown[a["event"]] for a in state.areas):
        entries.append(LegendEntry("Claimed area: equal-area circle, not a frontline", "area"))
    today = state.snapshot_entries()
    if today:
        meta = state.meta
        name = f"Area held — {meta.name}" if meta and meta.name else "Area held (control layer)"
        entries.append(LegendEntry(f"{name} ({state.snapshot})", "control"))
        credit = [f"Source: {meta.source}" if meta and meta.source else None, meta.credit if meta else None]
        if any(credit):
            entries.append(LegendEntry(" · ".join(c for c in credit if c), "note"))
        since = today[0].get("since")
        if any(c.get("gained") for c in today):
            entries.append(LegendEntry(f"Gained since {since}", "gained"))
        if any(c.get("lost") for c in today):
            entries.append(LegendEntry(f"Lost since {since}", "lost"))
    if state.base is not None:
        entries.append(LegendEntry("International border", "border"))
        entries.append(LegendEntry("Region (admin-1) border", "admin1"))
    return entries


def _handle(entry: LegendEntry) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    import matplotlib.patheffects as pe

    symbol = entry.symbol
    if symbol.startswith("kind:"):
        colour = style.kind_colour(symbol[5:])
        return Line2D([], [], linestyle="none", marker="o", markersize=MARKER_PT, markerfacecolor=colour,
                      markeredgecolor="#222222", markeredgewidth=0.7)
    if symbol == "stack":
        return Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="white",
                      markeredgecolor="#333333", markeredgewidth=1.6)
    if symbol == "estimated":
        return Patch(facecolor=(0.5, 0.5, 0.5, 0.12), edgecolor="#555555", linestyle="--", linewidth=1.0)
    if symbol == "region-level":
        return Patch(facecolor="none", edgecolor=style.REGION_STYLE["hatch"], hatch="////", linewidth=1.2)
    if symbol == "region":
        return Patch(facecolor=style.REGION_STYLE["fillColor"], alpha=0.35, edgecolor=style.REGION_STYLE["color"])
    if symbol == "area":
        return Patch(facecolor="none", edgecolor=style.AREA_SYMBOL_STYLE["color"], linestyle="--", linewidth=1.2)
    if symbol in ("control", "gained", "lost"):
        spec = {"control": style.CONTROL_STYLE, "gained": style.GAINED_STYLE, "lost": style.LOST_STYLE}[symbol]
        return Patch(facecolor=spec["fillColor"], alpha=0.75, edgecolor=spec["color"])
    if symbol == "border":
        return Line2D([], [], color=BASE["border"], linewidth=1.4,
                      path_effects=[pe.Stroke(linewidth=4, foreground=BASE["borderCasing"]), pe.Normal()])
    if symbol == "admin1":
        return Line2D([], [], color=BASE["admin1"], linewidth=0.7)
    return Line2D([], [], linestyle="none")  # a note: words only


# ---------------------------------------------------------------------------- drawing


def _draw(fig: Any, state: MapState, *, title: str | None, subtitle: str | None) -> None:
    west, south, east, north = state.extent
    ax = fig.add_axes((0.02, 0.1, 0.70, 0.8))
    legend_ax = fig.add_axes((0.74, 0.1, 0.25, 0.8))
    legend_ax.set_axis_off()
    ax.set_facecolor(BASE["sea"] if state.base is not None else "#dfe9f2")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box", anchor="NW")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#666666")
        spine.set_linewidth(0.8)
    ax.apply_aspect()  # the frame is final from here on: label boxes are measured against it

    if state.base is not None:
        _draw_basemap(ax, state.base)
    _draw_regions(ax, state)
    _draw_control(ax, state)
    _draw_areas(ax, state)
    markers = _draw_events(ax, state)
    specs = _label_specs(ax, state)
    placed = place_labels(ax, specs, markers + _draw_furniture(ax, state))
    _draw_city_dots(ax, placed, specs, markers)

    heading = str(title) if title else "Reported events"
    ax.set_title(heading + (f"\n{subtitle}" if subtitle else ""), fontsize=12, color="#1a1a1a", pad=8)
    entries = legend_entries(state)
    legend = legend_ax.legend([_handle(e) for e in entries], [e.label for e in entries], loc="upper left",
                              frameon=False, fontsize=8, title="Legend", title_fontsize=9, alignment="left",
                              handlelength=1.8, borderaxespad=0)
    for text in legend.get_texts():
        if len(text.get_text()) > 44:
            text.set_text(textwrap.fill(text.get_text(), 40))
    fig.text(0.02, 0.085, _sources_line(state), ha="left", va="top", fontsize=7, color="#444444", linespacing=1.35)


def _fill(ax: Any, geoms: list[Any], **style: Any) -> None:
    """Polygons as one PathPatch (holes kept). Not GeoSeries.plot: it redraws the whole figure
    on every call, which made a PNG take seconds per layer."""
    import numpy as np
    import shapely
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for geom in geoms:
        for polygon in shapely.get_parts(geom):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            for ring in [polygon.exterior, *polygon.interiors]:
                xy = np.asarray(ring.coords)[:, :2]
                vertices.append(xy)
                codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    if vertices:
        path = MplPath(np.concatenate(vertices), np.concatenate(codes).astype(np.uint8))
        ax.add_patch(PathPatch(path, **style))


def _stroke(ax: Any, geoms: list[Any], **style: Any) -> None:
    """Lines (and polygon outlines) as one LineCollection."""
    import numpy as np
    import shapely
    from matplotlib.collections import LineCollection

    lines = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = shapely.boundary(geom)
        lines += [np.asarray(part.coords)[:, :2] for part in shapely.get_parts(geom) if not part.is_empty]
    if lines:
        ax.add_collection(LineCollection(lines, **style), autolim=False)


def _draw_basemap(ax: Any, base: Any) -> None:
    import matplotlib.patheffects as pe

    land = [(code, geom) for code, _, geom in base.land] + list(base.context_land)
    for focus in (False, True):
        _fill(ax, [g for code, g in land if (code in base.focus) is focus], linewidth=0, zorder=1,
              facecolor=BASE["focusLand"] if focus else BASE["land"])
    _stroke(ax, [base.admin1], colors=BASE["admin1"], linewidths=0.5, zorder=3)
    _stroke(ax, [base.coast, base.context_coast], colors=BASE["coast"], linewidths=0.6, zorder=3)
    borders = [geom for _, _, geom in base.borders] + [base.context_borders]
    _stroke(ax, borders, colors=BASE["border"], linewidths=1.3, zorder=4, capstyle="round", joinstyle="round",
            path_effects=[pe.Stroke(linewidth=4.2, foreground=BASE["borderCasing"]), pe.Normal()])


def _draw_regions(ax: Any, state: MapState) -> None:
    active = {r for i, r in enumerate(state.refs) if r >= 0 and state.shown[i]}
    for k, region in enumerate(state.regions):
        if not region["geometry"]:
            continue
        import shapely.geometry

        geom = shapely.geometry.shape(region["geometry"])
        if region["level"] != "country":
            shade = 0.22 if region["claims"] else 0.08
            _fill(ax, [geom], facecolor=style.REGION_STYLE["fillColor"], alpha=shade, linewidth=0, zorder=2)
            _stroke(ax, [geom], colors=style.REGION_STYLE["color"], linewidths=0.8, zorder=2.5)
        if k in active:
            _fill(ax, [geom], facecolor="none", edgecolor=style.REGION_STYLE["hatch"], hatch="///", linewidth=1.2,
                  zorder=2.6)


def _draw_control(ax: Any, state: MapState) -> None:
    import shapely.geometry

    for entry in state.snapshot_entries():
        if entry["geometry"]:
            held = shapely.geometry.shape(entry["geometry"])
            _fill(ax, [held], facecolor=style.CONTROL_STYLE["fillColor"], alpha=0.45, linewidth=0, zorder=5)
            _stroke(ax, [held], colors=style.CONTROL_STYLE["color"], linewidths=0.7, zorder=5)
        for change, spec in (("gained", style.GAINED_STYLE), ("lost", style.LOST_STYLE)):
            if entry.get(change):
                part = shapely.geometry.shape(entry[change])
                _fill(ax, [part], facecolor=spec["fillColor"], alpha=0.75, linewidth=0, zorder=5.5)
                _stroke(ax, [part], colors=spec["color"], linewidths=0.6, zorder=5.5)


def _draw_areas(ax: Any, state: MapState) -> None:
    import shapely.geometry

    for area in state.areas:
        if area["geometry"] and state.shown[area["event"]]:
            _stroke(ax, [shapely.geometry.shape(area["geometry"])], colors=style.AREA_SYMBOL_STYLE["color"],
                    linestyles="--", linewidths=1.2, zorder=6)


def _draw_events(ax: Any, state: MapState) -> list[tuple[float, float, float, float]]:
    """Markers by kind and status, stacks with their count, estimated places as circles.

    Returns the markers' boxes in display pixels: labels keep clear of them."""
    lon, lat = event_points(state.located.geometry)
    kinds = [str(k) if isinstance(k, str) else "other" for k in column(state.located, "kind")]
    statuses = [str(s) if isinstance(s, str) else "reported" for s in column(state.located, "status")]
    groups: dict[tuple[float, float], list[int]] = {}
    for i, ok in enumerate(state.shown):
        if ok and state.refs[i] < 0 and not math.isnan(lon[i]):
            groups.setdefault((round(lon[i], 6), round(lat[i], 6)), []).append(i)
    singles = [m[0] for m in groups.values() if len(m) == 1]
    stacks = [(key, m) for key, m in groups.items() if len(m) > 1]
    to_px = ax.transData.transform
    radius_px = MARKER_PT / 72 * ax.figure.dpi / 2 + 2
    obstacles = []

    for i in singles:
        radius = state.uncertainty[i]  # km
        if radius:
            circle = geodesic_circle(lon[i], lat[i], math.pi * radius ** 2)
            colour = style.kind_colour(kinds[i])
            _fill(ax, [circle], facecolor=colour, alpha=0.12, linewidth=0, zorder=7)
            _stroke(ax, [circle], colors=colour, linestyles="--", linewidths=1.0, zorder=7)
    for kind in dict.fromkeys(style.KIND_ORDER + sorted(set(kinds))):
        for status in ("confirmed", "reported", "claimed", "disputed"):
            members = [i for i in singles if kinds[i] == kind and (statuses[i] if statuses[i] in style.STATUS_STYLES
                                                                    else "reported") == status]
            if not members:
                continue
            small = [i for i in members if state.uncertainty[i]]
            big = [i for i in members if not state.uncertainty[i]]
            for group, size in ((big, MARKER_PT), (small, MARKER_PT * 0.6)):
                if group:
                    ax.scatter(lon[group], lat[group], s=size ** 2, color=style.kind_colour(kind),
                               edgecolors="#222222", linewidths=0.7, linestyle=STATUS_LINES.get(status, "-"),
                               alpha=float(style.STATUS_STYLES[status]["fillOpacity"]) * 0.5 + 0.5, zorder=8)
    for (x, y), members in stacks:
        ax.scatter([x], [y], s=13 ** 2, color="white", edgecolors="#333333", linewidths=1.6, zorder=8)
        ax.annotate(str(len(members)), (x, y), ha="center", va="center", fontsize=7.5, fontweight="bold",
                    color="#111111", zorder=9)
    for i in singles:
        px, py = to_px((lon[i], lat[i]))
        obstacles.append((px - radius_px, py - radius_px, px + radius_px, py + radius_px))
    for (x, y), _ in stacks:
        px, py = to_px((x, y))
        r = 13 / 72 * ax.figure.dpi / 2 + 2
        obstacles.append((px - r, py - r, px + r, py + r))
    return obstacles


def _draw_furniture(ax: Any, state: MapState) -> list[tuple[float, float, float, float]]:
    """The date box (top left) and the scale bar (bottom left); returns their boxes."""
    renderer = ax.figure.canvas.get_renderer()
    lines = []
    if state.snapshot:
        name = state.meta.name if state.meta and state.meta.name else "Control layer"
        lines.append(f"{name}: as of {state.snapshot}")
    if state.day:
        lines.append(f"Events up to {state.day}")
    boxes = []
    if lines:
        stamp = ax.text(0.012, 0.988, "\n".join(lines), transform=ax.transAxes, ha="left", va="top", fontsize=8.5,
                        color="#1a1a1a", zorder=20, bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#888888",
                                                          "alpha": 0.92})
        boxes.append(_box(stamp.get_window_extent(renderer), 8))
    boxes += _scale_bar(ax, state.extent)
    return boxes


def _box(extent: Any, pad: float) -> tuple[float, float, float, float]:
    return (extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad)


def _scale_bar(ax: Any, extent: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """A geodesic scale bar: its length is measured along the parallel at the map's middle latitude."""
    from pyproj import Geod

    west, south, east, north = extent
    mid = (south + north) / 2
    _, _, metres = Geod(ellps="WGS84").inv(west, mid, east, mid)
    km_per_degree = metres / 1000 / (east - west)
    target = (east - west) * km_per_degree * 0.22
    length = nice_length(target)
    x0 = west + (east - west) * 0.03
    y0 = south + (north - south) * 0.035
    half = length / 2 / km_per_degree
    thick = (north - south) * 0.006
    for k, colour in enumerate(("#333333", "white")):
        ax.add_patch(_rect(x0 + k * half, y0, half, thick, colour))
    texts = [ax.text(x0, y0 + thick * 2.2, "0", ha="center", va="bottom", fontsize=7.5, zorder=21),
             ax.text(x0 + 2 * half, y0 + thick * 2.2, f"{length:g} km", ha="center", va="bottom", fontsize=7.5,
                     zorder=21)]
    renderer = ax.figure.canvas.get_renderer()
    corner = ax.transData.transform((x0, y0))
    top = max(t.get_window_extent(renderer).y1 for t in texts)
    right = max(t.get_window_extent(renderer).x1 for t in texts)
    return [(corner[0] - 12, corner[1] - 8, right + 8, top + 6)]


def _rect(x: float, y: float, width: float, height: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), width, height, facecolor=colour, edgecolor="#333333", linewidth=0.6, zorder=21)


def nice_length(km: float) -> float:
    """The 1-2-5 number of km nearest below `km` (a scale bar reads best in round numbers)."""
    if km <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return step * power
    return power


# ---------------------------------------------------------------------------- labels


def _label_specs(ax: Any, state: MapState) -> list[LabelSpec]:
    west, south, east, north = state.extent
    specs: list[LabelSpec] = []

    def inside(lon: float, lat: float) -> bool:
        return west < lon < east and south < lat < north

    counts: dict[int, int] = {}
    for i, r in enumerate(state.refs):
        if r >= 0 and state.shown[i]:
            counts[r] = counts.get(r, 0) + 1
    for k, count in sorted(counts.items()):
        region = state.regions[k]
        if region["label"]:
            lat, lon = region["label"]
            specs.append(LabelSpec(f"{region['name']} · {count} {'event' if count == 1 else 'events'}", [(lon, lat)],
                                   1000 + count / 1000, list(CENTRED), kind="region-events", pad=5, style={
                                       "fontsize": 8.5, "fontweight": "bold", "color": "white", "zorder": 30,
                                       "bbox": {"boxstyle": "round,pad=0.35", "fc": style.REGION_STYLE["hatch"],
                                                "ec": "none"}}))
    for area in state.areas:
        if not (area["geometry"] and state.shown[area["event"]]):
            continue
        import shapely.geometry

        x0, y0, x1, y1 = shapely.geometry.shape(area["geometry"]).bounds
        specs.append(LabelSpec(area["label"], [((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)], 900,
                               BELOW_THEN_ABOVE + [(0, 4, "center", "bottom"), (0, 16, "center", "bottom")],
                               kind="area", pad=4, style={
                                   "fontsize": 7, "color": "#3f2161", "zorder": 29,
                                   "bbox": {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#6A3D9A",
                                            "alpha": 0.9}}))
    halo = _halo()
    named = {region["name"] for region in state.regions}
    places = {label.text for label in state.base.labels if label.kind == "city"} if state.base else set()
    for k, region in enumerate(state.regions):
        if k in counts or region["name"] in places:  # counted already, or a city region named by its city
            continue
        if region["label"] and region["level"] != "country" and inside(*region["label"][::-1]):
            lat, lon = region["label"]
            specs.append(LabelSpec(region["name"], [(lon, lat)], 200, list(CENTRED), kind="region", style={
                "fontsize": 7.5, "style": "italic", "color": "#5a4a55", "zorder": 23, "path_effects": halo}))
    if state.base is None:
        return specs
    from geoevents.maps.basemap import label_spots

    labels = state.base.labels
    for code, name, geom in state.base.land:
        spots = label_spots(geom, state.extent, share=0.03)
        if spots:
            rank = 5 if code in state.base.focus else 0
            specs.append(LabelSpec(name.upper(), spots, 500 + rank + geom.area / 1e4, list(CENTRED), kind="country",
                                   style={"fontsize": 10, "color": "#6f675b", "fontweight": "bold", "zorder": 25,
                                          "path_effects": halo}))
    cities = sorted((l for l in labels if l.kind == "city" and inside(l.lon, l.lat)),
                    key=lambda l: (-(l.population or 0), l.text))[:CITY_LABELS]
    for label in cities:
        big = (label.population or 0) >= 1_000_000
        specs.append(LabelSpec(label.text, [(label.lon, label.lat)], 300 + label.rank, list(BESIDE), kind="city",
                               style={"fontsize": 8.5 if big else 7.5, "fontweight": "bold" if big else "normal",
                                      "color": "#2b2b2b", "zorder": 24, "path_effects": halo}))
    wide = (east - west) * 0.16
    for label in labels:
        if label.kind == "region" and inside(label.lon, label.lat) and label.text not in named and label.bounds \
                and label.bounds[2] - label.bounds[0] > wide:
            specs.append(LabelSpec(label.text, [(label.lon, label.lat)], 100 + label.rank, list(CENTRED),
                                   kind="region", style={"fontsize": 7, "style": "italic", "color": "#857d70",
                                                         "zorder": 23, "path_effects": halo}))
    return specs


def _halo() -> list[Any]:
    import matplotlib.patheffects as pe

    return [pe.withStroke(linewidth=2.5, foreground="white")]


def _draw_city_dots(ax: Any, placed: list[Any], specs: list[LabelSpec],
                    markers: list[tuple[float, float, float, float]]) -> None:
    """A dot for each city whose name found room (a dot without a name says nothing),
    unless an event marker sits on it: the name then stands beside the marker."""
    from geoevents.maps.placement import overlaps

    anchors = {spec.text: spec.anchors[0] for spec in specs if spec.kind == "city"}
    for text in placed:
        if text.get_gid() == "city" and text.get_text() in anchors:
            x, y = anchors[text.get_text()]
            px, py = ax.transData.transform((x, y))
            if not overlaps((px - 3, py - 3, px + 3, py + 3), markers):
                ax.scatter([x], [y], s=14, color="#3a3a3a", edgecolors="white", linewidths=0.8, zorder=24)


def _sources_line(state: MapState, width: int = 150) -> str:
    """Sources, control layer credit and data credits, broken into lines between items only
    (a source's name is never split)."""
    parts = []
    sources = [s for s in dict.fromkeys(column(state.events, "source")) if isinstance(s, str)]
    if sources:
        items = sources[:6]
        parts.append("Sources: " + "; ".join(items) + (" …" if len(sources) > 6 else "") + ".")
    if state.snapshot_entries():
        meta = state.meta
        words = [meta.name if meta and meta.name else "control layer"]
        if meta and meta.source and meta.source != words[0]:
            words.append(meta.source)
        if meta and meta.credit:
            words.append(meta.credit)
        parts.append(f"Control layer ({state.snapshot}): " + ", ".join(words) + ".")
    parts.append("Boundaries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0).")
    lines = [""]
    for part in parts:
        for piece in part.split("; "):
            joined = piece if not lines[-1] else f"{lines[-1]}; {piece}" if not lines[-1].endswith(".") \
                else f"{lines[-1]} {piece}"
            if lines[-1] and len(joined) > width:
                lines.append(piece)
            else:
                lines[-1] = joined
    return "\n".join(lines)
