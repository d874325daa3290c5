"""A static PNG of the same map for print and social media: no tiles, no browser.

Drawn with geopandas/matplotlib on the shipped boundaries (Natural Earth) so it
works offline; written with fixed metadata so rebuilding gives the same bytes.
Every text is drawn literally: matplotlib would otherwise read `$...$` in a title,
claim source or legend entry as mathtext (and a lone `$` as an error), or hand it
to LaTeX when a user's matplotlibrc sets text.usetex.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from geoevents.maps import style
from geoevents.maps.layers import area_claims
from geoevents.maps.payload import column, event_points


def make_png(events: Any, path: str | os.PathLike[str], **drawing: Any) -> Path:
    """Write a PNG: country and region outlines, latest control layer, area claims, events by kind.

    drawing: the keywords of png_figure (control, boundaries, countries, title, subtitle, dpi)."""
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
    boundaries: Any = None,
    countries: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    dpi: int = 150,
) -> Any:
    """The matplotlib Figure that make_png saves (every Text in it drawn literally)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geoevents.plotting import literal_text

    with literal_text():
        fig = plt.figure(figsize=(10, 8), dpi=dpi)
        try:
            _draw(fig, events, control=control, boundaries=boundaries, countries=countries,
                  title=title, subtitle=subtitle)
        except BaseException:
            plt.close(fig)
            raise
    return fig


def _draw(fig: Any, events: Any, *, control: Any, boundaries: Any, countries: Any, title: str | None,
          subtitle: str | None) -> None:
    import geopandas as gpd
    import numpy as np
    import shapely

    if isinstance(control, (str, os.PathLike)):
        from geoevents.territory.control import read_control

        control = read_control(control)
    lon, lat = event_points(events.geometry) if len(events) else (np.array([]), np.array([]))
    areas = area_claims(events)
    shapes = [shapely.geometry.shape(a["geometry"]) for a in areas if a["geometry"]]
    if control is not None and len(control):
        latest = control[control["date"] == control["date"].max()]
        shapes += [g for g in latest.geometry if g is not None]
    else:
        latest = None
    xs = list(lon[~np.isnan(lon)]) + [b for s in shapes for b in (s.bounds[0], s.bounds[2])]
    ys = list(lat[~np.isnan(lat)]) + [b for s in shapes for b in (s.bounds[1], s.bounds[3])]
    if not xs:
        raise ValueError("nothing to draw: no event has a location")
    pad_x = max((max(xs) - min(xs)) * 0.15, 0.6)
    pad_y = max((max(ys) - min(ys)) * 0.15, 0.4)
    extent = (min(xs) - pad_x, min(ys) - pad_y, max(xs) + pad_x, max(ys) + pad_y)

    ax = fig.add_subplot()
    ax.set_facecolor("#dfe9f2")
    admin0, admin1 = _boundaries(events, boundaries, countries)
    if admin0 is not None:
        admin0.plot(ax=ax, color="#f4f2ee", edgecolor="#555555", linewidth=1.0)
    if admin1 is not None:
        codes = {c for c in column(events, "admin1_code") if isinstance(c, str)}
        admin1.boundary.plot(ax=ax, color="#999999", linewidth=0.5)
        named = admin1[admin1["admin1_code"].isin(codes)]
        if len(named):
            named.plot(ax=ax, color=style.REGION_STYLE["fillColor"], alpha=0.15, edgecolor="#555555", linewidth=0.8)
            for name, point in zip(named["admin1_name"], named.geometry.representative_point()):
                if extent[0] < point.x < extent[2] and extent[1] < point.y < extent[3]:
                    ax.annotate(str(name), (point.x, point.y), ha="center", va="center", fontsize=8,
                                color="#444444", style="italic", alpha=0.8)
    if latest is not None:
        gpd.GeoSeries(list(latest.geometry), crs=4326).plot(
            ax=ax, color=style.CONTROL_STYLE["fillColor"], alpha=0.45, edgecolor=style.CONTROL_STYLE["color"], linewidth=0.6)
    for area in areas:
        geom = shapely.geometry.shape(area["geometry"])
        gpd.GeoSeries([geom], crs=4326).plot(ax=ax, facecolor="none", edgecolor=style.AREA_SYMBOL_STYLE["color"],
                                             linestyle="--", linewidth=1.2)
        ax.annotate(area["label"], (geom.centroid.x, geom.bounds[1]), xytext=(0, -3 - 17 * area.get("stack", 0)),
                    textcoords="offset points", ha="center", va="top", fontsize=7,
                    color="#3f2161", bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#6A3D9A", "alpha": 0.85})
    lon, lat = _spread(lon, lat, 0.012 * (extent[2] - extent[0]))
    kinds = [str(k) if isinstance(k, str) else "other" for k in column(events, "kind")]
    for kind in dict.fromkeys(style.KIND_ORDER + sorted(set(kinds))):
        mask = np.array([k == kind for k in kinds]) & ~np.isnan(lon)
        if mask.any():
            ax.scatter(lon[mask], lat[mask], s=36, color=style.kind_colour(kind), edgecolors="#222222",
                       linewidths=0.6, label=f"{kind} ({int(mask.sum())})", zorder=5)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(1 / np.cos(np.radians((extent[1] + extent[3]) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if len(ax.get_legend_handles_labels()[0]):
        ax.legend(loc="best", fontsize=8, title="Event kind", title_fontsize=8, framealpha=0.9)
    heading = str(title) if title else "Reported events"
    ax.set_title(heading + (f"\n{subtitle}" if subtitle else ""), fontsize=12)
    sources = [s for s in dict.fromkeys(column(events, "source")) if isinstance(s, str)]
    credit = "Boundaries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."
    if sources:
        credit = "Sources: " + "; ".join(sources[:6]) + (" …" if len(sources) > 6 else "") + ". " + credit
    # just under the map frame (bbox_inches="tight" then crops the empty margin)
    ax.annotate(credit, (0, -0.01), xycoords="axes fraction", ha="left", va="top", fontsize=7, color="#444444")
    fig.tight_layout()


def _spread(lon: Any, lat: Any, radius: float) -> tuple[Any, Any]:
    """Events at the very same spot moved onto a small ring so each one shows."""
    import numpy as np

    lon, lat = lon.copy(), lat.copy()
    groups: dict[tuple[float, float], list[int]] = {}
    for i, key in enumerate(zip(lon.tolist(), lat.tolist())):
        if not np.isnan(key[0]):
            groups.setdefault(key, []).append(i)
    for (x, y), members in groups.items():
        if len(members) < 2:
            continue
        ring = radius * (1 + len(members) / 12)
        angles = np.linspace(0, 2 * np.pi, len(members), endpoint=False) + np.pi / 2
        lon[members] = x + ring * np.cos(angles) / np.cos(np.radians(y))
        lat[members] = y + ring * np.sin(angles)
    return lon, lat


def _boundaries(events: Any, boundaries: Any, countries: Any) -> tuple[Any, Any]:
    """Country outlines and admin-1 regions: given, or read from data/boundaries."""
    if boundaries is not None or countries is not None:
        return countries, boundaries
    codes = sorted({c for c in column(events, "country_code") if isinstance(c, str)}) or None
    try:
        from geoevents.regions.boundaries import read_boundaries
    except ImportError:
        warnings.warn("geoevents.regions is not available: the PNG has no boundaries", stacklevel=3)
        return None, None
    admin0 = read_boundaries(level="admin0")
    admin1 = read_boundaries(level="admin1", countries=codes)
    return admin0, admin1
