"""Events as compact, column-wise JSON for the in-page renderer.

Why not one folium object per event: 100,000 markers written as JavaScript cost
~1 KB each. Here every event is a row in a few arrays, and every string (kind,
claimant, source...) that repeats is stored once and referenced by an
index into that column's own small dictionary, so repeated values cost a
few bytes. The page parses the JSON with
JSON.parse and the renderer puts text into the DOM with textContent only.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import shapely

# event columns carried to the page, in this order (CONTRACTS.md names); the id is
# left out: the popup does not show it and at 100,000 events it costs ~1 MB
TEXT_COLUMNS = (
    "date", "date_precision", "date_text", "place", "admin1_code", "admin1_name",
    "country_code", "kind", "actor", "claimant", "claim", "figure_unit", "status",
    "source", "published", "geo_precision", "place_precision",
)
COORD_DECIMALS = 5  # ~1 m: more digits only make the file bigger
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")  # "{{", "{%", "{#": where Jinja tags start


def http_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) address, else None: only those become links."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def column(frame: pd.DataFrame, name: str) -> list[Any]:
    if name in frame.columns:
        return frame[name].tolist()
    return [None] * len(frame)


def event_points(geometry: Any) -> tuple[np.ndarray, np.ndarray]:
    """Marker positions: the point itself, or a point inside an area claim's polygon."""
    geoms = np.asarray(getattr(geometry, "values", geometry), dtype=object)
    points = geoms.copy()
    not_point = shapely.get_type_id(geoms) != shapely.GeometryType.POINT
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    odd = not_point & ~missing
    if odd.any():
        points[odd] = shapely.point_on_surface(geoms[odd])
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    ok = ~missing
    lon[ok] = shapely.get_x(points[ok])
    lat[ok] = shapely.get_y(points[ok])
    return lon, lat


def events_payload(events: pd.DataFrame) -> dict[str, Any]:
    """Column-wise event table: coordinates, string codes, figures and flags."""
    lon, lat = event_points(events.geometry)
    keep = ~(np.isnan(lon) | np.isnan(lat))
    frame = events.loc[keep]
    out: dict[str, Any] = {
        "lat": np.round(lat[keep], COORD_DECIMALS).tolist(),
        "lon": np.round(lon[keep], COORD_DECIMALS).tolist(),
    }
    for name in TEXT_COLUMNS:
        out[name] = encode_text(column(frame, name))
    urls = column(frame, "source_url")
    out["url"] = encode_text([http_url(v) for v in urls])
    # a source_url that is not http(s) is still shown, as plain text, never as a link
    out["url_text"] = encode_text([v if http_url(v) is None else None for v in urls])
    figures = pd.to_numeric(pd.Series(column(frame, "figure"), dtype=object), errors="coerce")
    out["figure"] = constant_or_list([None if pd.isna(v) else _number(v) for v in figures])
    out["approximate"] = constant_or_list([1 if v is True or v == 1 else 0 for v in column(frame, "approximate")])
    out["unc"] = constant_or_list(uncertainty_km(frame))
    return out


def uncertainty_km(events: pd.DataFrame) -> list[float | None]:
    """The radius (km) within which an estimated place lies: `uncertainty_km` when it is a
    positive number, else None (an exact place, or a column the events do not have)."""
    values = pd.to_numeric(pd.Series(column(events, "uncertainty_km"), dtype=object), errors="coerce")
    return [float(round(v, 3)) if pd.notna(v) and math.isfinite(v) and v > 0 else None for v in values]


def day_offsets(t0: list[int | None], t1: list[int | None]) -> dict[str, Any]:
    """Each event's first day (offset from the axis start) and how many days more it covers."""
    span = [None if a is None or b is None else b - a for a, b in zip(t0, t1)]
    return {"t0": constant_or_list(t0), "dt": constant_or_list(span)}


def encode_text(values: list[Any]) -> dict[str, Any]:
    """One text column, in the cheapest of three shapes the renderer understands.

    - {"k": text}: every row has the same string (or null)
    - {"d": [distinct strings], "c": [per-row index, -1 = missing]}: repeated values;
      each column has its own dictionary so the common codes stay one digit
    - {"v": [...]}: the strings themselves (mostly distinct values such as claims)
    """
    cleaned = [_clean(v) for v in values]
    distinct = list(dict.fromkeys(v for v in cleaned if v is not None))
    if len(set(cleaned)) <= 1:
        return {"k": cleaned[0] if cleaned else None}
    if len(distinct) > 0.5 * len(cleaned):
        return {"v": cleaned}
    # most frequent first: the codes written most often are the shortest
    counts = pd.Series([v for v in cleaned if v is not None]).value_counts(sort=False)
    distinct.sort(key=lambda v: -int(counts[v]))  # stable: ties keep first-seen order
    index = {v: i for i, v in enumerate(distinct)}
    return {"d": distinct, "c": [-1 if v is None else index[v] for v in cleaned]}


def _clean(value: Any) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text or None


def constant_or_list(values: list[Any]) -> Any:
    """A single value when every row has it, else the list."""
    return {"k": values[0]} if values and all(v == values[0] for v in values) else values


def _number(value: float) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)


def geometry_json(geom: Any, tolerance: float = 0.0) -> dict[str, Any] | None:
    """GeoJSON geometry with coordinates rounded (and optionally simplified) for the page."""
    if geom is None or shapely.is_missing(geom) or geom.is_empty:
        return None
    if tolerance > 0:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 10 ** -COORD_DECIMALS)
    if geom.is_empty:
        return None
    return json.loads(shapely.to_geojson(geom))


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script type="application/json"> element.

    '<', '>' and '&' are written as \\u escapes so no text in the data can close
    the element or start markup. A '{' that would open a Jinja tag ('{{', '{%', '{#')
    is written as \\u007b too: the page is not built with templates, but if the text
    ever reached one it still holds nothing a template engine would run. Outside
    strings JSON never has such a pair (an object opens with '"' or '}' after '{'), so
    only string contents change, and JSON.parse restores them unchanged."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
    return _TEMPLATE_OPENER.sub(r"\\u007b", text)
