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


def region_layer(events: pd.DataFrame, boundaries: Any | None) -> list[dict[str, Any]]:
    """Admin-1 regions named by events, each with the control claims made about it."""
    codes = [c for c in dict.fromkeys(_text(v) for v in column(events, "admin1_code")) if c]
    if not codes or boundaries is False:
        return []
    if boundaries is None:
        boundaries = _load_boundaries(events)
        if boundaries is None:
            return []
    regions = boundaries[boundaries["admin1_code"].isin(codes)]
    kinds = column(events, "kind")
    cols = {name: column(events, name) for name in
            ("admin1_code", "date", "claimant", "status", "figure", "figure_unit", "approximate")}
    out = []
    for _, region in regions.sort_values("admin1_code").iterrows():
        code = region["admin1_code"]
        rows = [i for i, c in enumerate(cols["admin1_code"]) if c == code]
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
        ]
        out.append({
            "code": code,
            "name": _text(region.get("admin1_name")) or code,
            "events": len(rows),
            "claims": claims,
            "geometry": geometry_json(region.geometry, REGION_SIMPLIFY_DEG),
        })
    return out


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
            out.append(entry)
    return out
