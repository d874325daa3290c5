"""The vector layers beside the events: shaded regions, area-claim symbols, control over time.

Each function returns plain JSON-ready dicts for the in-page renderer; text stays
text (the page inserts it with textContent), geometry is rounded GeoJSON.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geoevents.maps.payload import column, geometry_json
from geoevents.maps.style import CONTROL_KINDS

GEOD = Geod(ellps="WGS84")
AREA_UNITS = {"km2", "km²", "sq km", "square kilometres", "square kilometers"}
CIRCLE_VERTICES = 96
REGION_SIMPLIFY_DEG = 0.002  # ~200 m: invisible at region scale, halves the file
CONTROL_SIMPLIFY_DEG = 0.0005
CHANGE_LIST_LIMIT = 12  # gained/lost parts listed per controller and date


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value)
    return text or None


def _figure(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_km2(value: float) -> str:
    return f"{value:,.0f} km²" if value >= 10 else f"{value:,.1f} km²"


def geodesic_circle(lon: float, lat: float, area_km2: float, vertices: int = CIRCLE_VERTICES) -> shapely.Polygon:
    """A polygon of the given geodesic area: radius sqrt(area/π), drawn with Geod.fwd."""
    radius_m = math.sqrt(area_km2 / math.pi) * 1000.0
    azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius_m))
    return shapely.Polygon(np.column_stack([lons, lats])[::-1])


def area_symbol_label(figure: float, approximate: bool) -> str:
    prefix = "≈" if approximate else ""
    return f"{prefix}{format_km2(figure)} claimed — area symbol, not a frontline"


def area_claims(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Area claims as shapes: their own polygon when they carry one, else an equal-area circle.

    The circle is an honest symbol of size at the claimed place, labelled as such,
    never a frontline (DESIGN.md: never invent geometry)."""
    out: list[dict[str, Any]] = []
    stacks: dict[tuple[float, float], int] = {}  # symbols sharing a centre: labels stack downwards
    units = column(events, "figure_unit")
    figures = column(events, "figure")
    approx = column(events, "approximate")
    for position, geom in enumerate(events.geometry.values):
        if geom is None or geom.is_empty:
            continue
        base = {"event": position}
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            from geoevents.territory.area import geodesic_area_km2_scalar

            measured = geodesic_area_km2_scalar(geom)
            out.append(base | {"symbol": False, "label": f"area as given: {format_km2(measured)}",
                               "geometry": geometry_json(geom)})
            continue
        unit = _text(units[position])
        figure = _figure(figures[position])
        if geom.geom_type != "Point" or unit is None or unit.lower() not in AREA_UNITS or not figure or figure <= 0:
            continue
        circle = geodesic_circle(geom.x, geom.y, figure)
        label = area_symbol_label(figure, bool(approx[position] is True or approx[position] == 1))
        centre = (round(geom.x, 4), round(geom.y, 4))
        stack = stacks[centre] = stacks.get(centre, -1) + 1
        out.append(base | {"symbol": True, "label": label, "stack": stack, "geometry": geometry_json(circle)})
    return out


REGION_LEVELS = ("admin1", "country")  # geo_precision values that locate an event only to an area


def region_layer(events: pd.DataFrame, boundaries: Any | None, *,
                 clip: tuple[float, float, float, float] | None = None) -> list[dict[str, Any]]:
    """Regions named by events, each with its control claims, and the countries of country-level events.

    An entry's `label` is a point well inside it ([lat, lon]) where the map writes how
    many events are located only to that region; `level` is "admin1" or "country".
    Country outlines are cut to `clip` (w, s, e, n): all of Russia would be megabytes."""
    codes = [c for c in dict.fromkeys(_text(v) for v in column(events, "admin1_code")) if c]
    if boundaries is False:
        return []
    out = []
    if codes:
        if boundaries is None:
            boundaries = _load_boundaries(events)
        if boundaries is not None:
            regions = boundaries[boundaries["admin1_code"].isin(codes)]
            for _, region in regions.sort_values("admin1_code").iterrows():
                out.append(_region_entry(events, region["admin1_code"], "admin1",
                                         _text(region.get("admin1_name")) or region["admin1_code"],
                                         shapely.simplify(region.geometry, REGION_SIMPLIFY_DEG,
                                                          preserve_topology=True)))
    out += _country_entries(events, clip)
    return out


def _country_entries(events: pd.DataFrame, clip: tuple[float, float, float, float] | None) -> list[dict[str, Any]]:
    levels = column(events, "geo_precision")
    wanted = sorted({c for c, level in zip(column(events, "country_code"), levels)
                     if level == "country" and _text(c)})
    if not wanted:
        return []
    try:
        from geoevents.regions.boundaries import read_boundaries
    except ImportError:
        return []
    countries = read_boundaries(level="admin0", countries=wanted).sort_values("country_code")
    out = []
    for code, name, geom in zip(countries["country_code"], countries["country_name"], countries.geometry.values):
        if clip is not None:
            geom = shapely.intersection(geom, shapely.box(*clip))
        tolerance = max((geom.bounds[2] - geom.bounds[0]) / 2500, REGION_SIMPLIFY_DEG) if not geom.is_empty else 0
        out.append(_region_entry(events, code, "country", _text(name) or code,
                                 shapely.simplify(geom, tolerance, preserve_topology=True)))
    return out


def _region_entry(events: pd.DataFrame, code: str, level: str, name: str, geom: Any) -> dict[str, Any]:
    key = "admin1_code" if level == "admin1" else "country_code"
    kinds = column(events, "kind")
    cols = {field: column(events, field) for field in
            (key, "date", "claimant", "status", "figure", "figure_unit", "approximate")}
    rows = [i for i, c in enumerate(cols[key]) if c == code]
    claims = [
        {
            "date": _text(cols["date"][i]),
            "kind": _text(kinds[i]),
            "claimant": _text(cols["claimant"][i]),
            "status": _text(cols["status"][i]),
            "figure": _figure(cols["figure"][i]),
            "unit": _text(cols["figure_unit"][i]),
            "approximate": bool(cols["approximate"][i] is True),
        }
        for i in rows
        if _text(kinds[i]) in CONTROL_KINDS
    ] if level == "admin1" else []
    point = _inside_point(geom)
    return {
        "code": code,
        "level": level,
        "name": name,
        "events": len(rows),
        "claims": claims,
        "label": point,
        "geometry": geometry_json(geom),
    }


def _inside_point(geom: Any) -> list[float] | None:
    """[lat, lon] where a label fits best inside the region (see basemap.label_point)."""
    if geom is None or geom.is_empty or not any(p.geom_type == "Polygon" for p in shapely.get_parts(geom)):
        return None
    from geoevents.maps.basemap import label_point

    lon, lat = label_point(geom)
    return [lat, lon]


def region_refs(events: pd.DataFrame, regions: list[dict[str, Any]]) -> list[int]:
    """For each event, the index of the region entry it is located to (geo_precision
    admin1/country), or -1 when it has a point of its own (or its region is not drawn)."""
    index = {(r["level"], r["code"]): k for k, r in enumerate(regions) if r["geometry"]}
    levels = column(events, "geo_precision")
    admin1 = column(events, "admin1_code")
    country = column(events, "country_code")
    refs = []
    for level, a1, cc in zip(levels, admin1, country):
        code = a1 if level == "admin1" else cc if level == "country" else None
        refs.append(index.get((level, _text(code)), -1) if level in REGION_LEVELS else -1)
    return refs


def _load_boundaries(events: pd.DataFrame) -> Any | None:
    countries = sorted({c for c in (_text(v) for v in column(events, "country_code")) if c}) or None
    try:
        from geoevents.regions.boundaries import read_boundaries
    except ImportError:
        warnings.warn("geoevents.regions is not available: regions are not shaded", stacklevel=3)
        return None
    return read_boundaries(level="admin1", countries=countries)


def control_layer(control: Any) -> list[dict[str, Any]]:
    """Dated control polygons with what each controller gained and lost since the previous date.

    The change polygons and km² come from territory.diff_control, so the map shows
    the same figures as `geoevents diff`; only the drawn copies are simplified."""
    from geoevents.territory.area import geodesic_area_km2
    from geoevents.territory.diff import diff_control

    if control is None or len(control) == 0:
        return []
    frame = control.sort_values(["date", "controller"], kind="mergesort").reset_index(drop=True)
    dates = list(dict.fromkeys(frame["date"]))
    out: list[dict[str, Any]] = []
    for position, day in enumerate(dates):
        today = frame[frame["date"] == day]
        changes = None
        if position > 0:
            changes = diff_control(frame[frame["date"] == dates[position - 1]], today)
        areas = geodesic_area_km2(today.geometry)
        for (_, row), area in zip(today.iterrows(), areas):
            controller = _text(row.get("controller")) or "?"
            entry: dict[str, Any] = {
                "date": str(day),
                "controller": controller,
                "source": _text(row.get("source")),
                "status": _text(row.get("status")),
                "area_km2": round(float(area), 1),
                "geometry": geometry_json(row.geometry, CONTROL_SIMPLIFY_DEG),
            }
            if changes is not None:
                entry["since"] = str(dates[position - 1])
                mine = changes[changes["controller"] == controller]
                for change in ("gained", "lost"):
                    parts = mine[mine["change"] == change]
                    entry[f"{change}_km2"] = round(float(parts["area_km2"].sum()), 1)
                    entry[change] = geometry_json(shapely.union_all(parts.geometry.values), CONTROL_SIMPLIFY_DEG) if len(parts) else None
                entry["parts"], entry["more"] = change_list(mine)
            out.append(entry)
    return out


def change_list(changes: Any, limit: int = CHANGE_LIST_LIMIT) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The largest gained/lost parts with km², their admin-1 region and bounds, for a list that zooms to each.

    Why: a change of a few km² is a hair-thin sliver at the zoom a map opens at; the
    list keeps it findable. Returns (parts, rest) where rest sums the parts left out."""
    if changes is None or len(changes) == 0:
        return [], None
    ordered = changes.sort_values(["area_km2", "part"], ascending=[False, True], kind="mergesort")
    shown, rest = ordered.iloc[:limit], ordered.iloc[limit:]
    regions = _regions_of(shown)
    parts = []
    for (_, row), region in zip(shown.iterrows(), regions):
        x0, y0, x1, y1 = row.geometry.bounds
        parts.append({"change": row["change"], "km2": round(float(row["area_km2"]), 2), "region": region,
                      "bounds": [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]]})
    more = None
    if len(rest):
        more = {"count": int(len(rest)), "km2": round(float(rest["area_km2"].sum()), 2)}
    return parts, more


def _regions_of(parts: Any) -> list[str | None]:
    """The admin-1 region (name) each part lies in, from its representative point."""
    try:
        import geopandas as gpd

        from geoevents.regions.attach import attach_regions
    except ImportError:
        return [None] * len(parts)
    points = gpd.GeoDataFrame(geometry=shapely.point_on_surface(parts.geometry.values), crs=4326)
    named = attach_regions(points)
    return [_text(v) for v in named["admin1_name"]]
