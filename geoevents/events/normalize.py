"""Turn a RawTable (from any reader) into the event GeoDataFrame, collecting every problem.

One set of rules for every input format: defaults from the header, dates resolved,
places geocoded (each distinct place once), coordinates and geometries checked, regions
attached. Work is done per column or per distinct value, not per row, so that 100,000-row
tables load in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from geoevents.events.dates import DateError, EventDate, parse_date, parse_published, resolve_after
from geoevents.events.model import COLUMNS, GEO_PRECISIONS, KINDS, MAX_TEXT, STATUSES
from geoevents.io.raw import RawTable

HEADER_DEFAULTS = ("source", "source_url", "published", "claimant", "status", "kind",
                   "actor", "country", "within")
TEXT_FIELDS = ("id", "place", "actor", "claimant", "claim", "figure_unit", "source",
               "source_url", "within")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SWAP_FAR_KM = 300.0
_SWAP_NEAR_KM = 60.0
_SAME_PLACE_KM = 60.0
_FEATURE_PRECISION = {"place": "locality", "admin1": "admin1", "country": "country"}


class _Cols:
    """Columns as plain lists: per-row access without pandas indexing overhead."""

    def __init__(self, frame: pd.DataFrame):
        self.n = len(frame)
        self.data: dict[str, list] = {c: frame[c].tolist() for c in frame.columns}
        self.at = self

    @property
    def columns(self) -> Any:
        return self.data.keys()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, tuple):
            return self.data[key[1]][key[0]]
        return self.data[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(key, tuple):
            self.data[key[1]][key[0]] = value
        else:
            self.data[key] = list(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; enough to tell 'next door' from '1,000 km away'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _hint_country(value: Any) -> tuple[str, ...] | None:
    if _missing(value):
        return None
    if isinstance(value, (list, tuple)):
        return tuple(str(v).upper() for v in value)
    return tuple(part.strip().upper() for part in str(value).split(",") if part.strip())


def _hint_near(value: Any) -> Any:
    if _missing(value) if not isinstance(value, (list, tuple)) else False:
        return None
    if isinstance(value, (list, tuple)):
        return (float(value[0]), float(value[1]))
    return str(value)


def normalize(table: RawTable, *, geocoder: Any = None,
              regions: Callable[[Any], Any] | None | bool = None,
              defaults: dict[str, Any] | None = None) -> tuple[Any, list]:
    """Check and complete a RawTable; return (GeoDataFrame of events, problems)."""
    import geopandas as gpd

    df = _Cols(table.frame)
    n = df.n
    header = {**(defaults or {}), **table.header}
    for name in ("id", "date", "after", "place", "country", "within", "near", "latitude",
                 "longitude", "geometry", "kind", "actor", "claimant", "claim", "figure",
                 "figure_unit", "approximate", "status", "source", "source_url", "published",
                 "geo_precision", "place_id", "country_code", "admin1_code", "admin1_name",
                 "date_text"):
        if name not in df.columns:
            df[name] = [None] * n
    # header defaults
    header_published: dt.date | None = None
    if not _missing(header.get("published")):
        try:
            header_published = parse_published(header["published"])
        except DateError as error:
            table.file_problem(table.header_lines.get("published"), "published", "error",
                               str(error))
            header.pop("published")
    for name in HEADER_DEFAULTS:
        value = header.get(name)
        if not _missing(value):
            df[name] = [value if _missing(v) else v for v in df[name]]
    for name, value in (defaults or {}).items():  # extra column defaults (e.g. date)
        if name not in HEADER_DEFAULTS and name in df.columns and name != "geometry":
            df[name] = [value if _missing(v) else v for v in df[name]]

    # ids
    stem = table.path.stem
    ids = [None if _missing(v) else str(v).strip() for v in df["id"]]
    ids = [v if v is not None else f"{stem}-{i + 1}" for i, v in enumerate(ids)]
    seen: dict[str, int] = {}
    for i, event_id in enumerate(ids):
        if event_id in seen:
            first_line, _ = table.locate(seen[event_id], "id")
            where = f"line {first_line}" if first_line else f"row {seen[event_id] + 1}"
            table.problem(i, "id", "error", f"duplicate id {event_id!r} (first used at {where})",
                          event_id)
        else:
            seen[event_id] = i
    df["id"] = ids

    _check_text(table, df, ids)
    kinds, statuses = _check_enums(table, df, ids)
    figures, units, approximate = _check_figures(table, df, ids)
    dates = _resolve_dates(table, df, ids, header_published)
    geo = _locate(table, df, ids, geocoder)
    _attach_regions(table, df, geo, geocoder, regions)

    for i in range(n):
        if _missing(df.at[i, "claimant"]) and (i, "claimant") not in table.bad:
            table.problem(i, "claimant", "error", "missing claimant: who says so?", ids[i])
    if "review" in df.columns:
        for i in range(n):
            if not _missing(df.at[i, "review"]) and bool(df.at[i, "review"]):
                table.problem(i, "review", "warning",
                              "draft not yet reviewed (review: true): check it against the "
                              "source, rewrite the claim in your own words, delete `evidence`",
                              ids[i])
    if table.kind == "yaml":
        for i in range(n):
            if _missing(df.at[i, "source"]) and (i, "source") not in table.bad:
                table.problem(i, "source", "warning", "no source (outlet) given", ids[i])

    values = {
        "id": ids,
        "date": dates["date"],
        "date_precision": dates["precision"],
        "date_start": dates["start"],
        "date_end": dates["end"],
        "date_text": dates["text"],
        "place": [None if _missing(v) else str(v).strip() for v in df["place"]],
        "place_id": pd.array(geo["place_id"], dtype="Int64"),
        "geo_precision": geo["geo_precision"],
        "country_code": geo["country_code"],
        "admin1_code": geo["admin1_code"],
        "admin1_name": geo["admin1_name"],
        "latitude": np.asarray(geo["latitude"], dtype="float64"),
        "longitude": np.asarray(geo["longitude"], dtype="float64"),
        "kind": kinds,
        "actor": _text_column(df["actor"]),
        "claimant": _text_column(df["claimant"]),
        "claim": _text_column(df["claim"]),
        "figure": np.asarray(figures, dtype="float64"),
        "figure_unit": units,
        "approximate": np.asarray(approximate, dtype=bool),
        "status": statuses,
        "source": _text_column(df["source"]),
        "source_url": _text_column(df["source_url"]),
        "published": dates["published"],
    }
    # text columns stay object dtype with None for missing values (not NaN, not "str")
    out = pd.DataFrame({name: pd.Series(values[name], dtype=object) if kind == "str"
                        else values[name] for name, kind in COLUMNS.items()})
    gdf = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geo["geometry"], crs="EPSG:4326"),
                           crs="EPSG:4326")
    if n == 0 and not table.problems:
        table.file_problem(table.header_lines.get("events"), "events", "warning",
                           "the file holds no events")
    problems = sorted(table.problems, key=lambda p: (p.line is None, p.line or 0))
    return gdf, problems


def _text_column(series: Any) -> list[str | None]:
    return [None if _missing(v) else str(v).strip() for v in series]


def _check_text(table: RawTable, df: _Cols, ids: list[str]) -> None:
    """Control characters and over-long text are refused: they are never a real claim."""
    for name in TEXT_FIELDS:
        values = df[name]
        if not any(isinstance(v, str) for v in values):
            continue
        text = pd.Series([v if isinstance(v, str) else None for v in values], dtype="string")
        bad_control = text.str.contains(_CONTROL.pattern, regex=True, na=False)
        too_long = text.str.len().fillna(0) > MAX_TEXT
        for i in np.flatnonzero((bad_control | too_long).to_numpy()):
            if (i, name) in table.bad:
                continue
            if too_long.iloc[i]:
                message = (f"text is {len(text.iloc[i])} characters long; at most {MAX_TEXT} "
                           "are allowed")
            else:
                message = "holds control characters (only tab and newline are allowed)"
            table.problem(int(i), name, "error", message, ids[i])
            table.bad.add((int(i), name))
            df.at[int(i), name] = None


def _check_enums(table: RawTable, df: _Cols, ids: list[str]) -> tuple[list, list]:
    kinds: list[str] = []
    statuses: list[str] = []
    for i, (kind, status) in enumerate(zip(df["kind"], df["status"])):
        if _missing(kind):
            kinds.append("other")
        else:
            value = str(kind).strip().lower()
            if value not in KINDS:
                if (i, "kind") not in table.bad:
                    table.problem(i, "kind", "error",
                                  f"{str(kind)[:60]!r} is not one of {', '.join(KINDS)}", ids[i])
                value = "other"
            kinds.append(value)
        if _missing(status):
            if table.kind == "yaml" and (i, "status") not in table.bad:
                table.problem(i, "status", "warning",
                              "no status given: assumed 'reported'", ids[i])
            statuses.append("reported")
        else:
            value = str(status).strip().lower()
            if value not in STATUSES:
                if (i, "status") not in table.bad:
                    table.problem(i, "status", "error",
                                  f"{str(status)[:60]!r} is not one of {', '.join(STATUSES)}",
                                  ids[i])
                value = "reported"
            statuses.append(value)
    return kinds, statuses


_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


def _check_figures(table: RawTable, df: _Cols, ids: list[str]) -> tuple[list, list, list]:
    figures: list[float] = []
    units: list[str | None] = []
    approximate: list[bool] = []
    for i, (figure, unit, approx) in enumerate(zip(df["figure"], df["figure_unit"],
                                                   df["approximate"])):
        value = math.nan
        if not _missing(figure):
            if isinstance(figure, bool):
                table.problem(i, "figure", "error", f"figure must be a number, got {figure!r}",
                              ids[i])
            else:
                try:
                    value = float(str(figure).replace(",", "").strip()) \
                        if isinstance(figure, str) else float(figure)
                    if not math.isfinite(value):
                        raise ValueError
                except ValueError:
                    table.problem(i, "figure", "error",
                                  f"figure must be a number, got {str(figure)[:60]!r}", ids[i])
                    value = math.nan
        unit_text = None if _missing(unit) else str(unit).strip()
        if not math.isnan(value) and unit_text is None and (i, "figure_unit") not in table.bad:
            table.problem(i, "figure_unit", "error",
                          f"figure {value:g} has no unit: add figure_unit (km2, troops, "
                          "killed, ...)", ids[i])
        if math.isnan(value) and unit_text is not None and _missing(figure):
            table.problem(i, "figure_unit", "warning",
                          f"figure_unit {unit_text!r} given without a figure", ids[i])
        figures.append(value)
        units.append(unit_text)
        if isinstance(approx, (bool, np.bool_)):
            approximate.append(bool(approx))
        elif _missing(approx):
            approximate.append(False)
        elif str(approx).strip().lower() in _TRUE:
            approximate.append(True)
        elif str(approx).strip().lower() in _FALSE:
            approximate.append(False)
        else:
            table.problem(i, "approximate", "error",
                          f"approximate must be true or false, got {str(approx)[:40]!r}", ids[i])
            approximate.append(False)
    return figures, units, approximate


def _resolve_dates(table: RawTable, df: _Cols, ids: list[str],
                   header_published: dt.date | None) -> dict[str, list]:
    n = df.n
    published: list[dt.date | None] = [None] * n
    cache_pub: dict[Any, Any] = {}
    for i, value in enumerate(df["published"]):
        if _missing(value):
            continue
        key = value if isinstance(value, (str, dt.date)) else repr(value)
        if key not in cache_pub:
            try:
                cache_pub[key] = parse_published(value)
            except DateError as error:
                cache_pub[key] = error
        result = cache_pub[key]
        if isinstance(result, DateError):
            if (i, "published") not in table.bad:
                table.problem(i, "published", "error", str(result), ids[i])
        else:
            published[i] = result
    resolved: list[EventDate | None] = [None] * n
    cache: dict[tuple, Any] = {}
    anchored: list[int] = []
    for i, (value, after) in enumerate(zip(df["date"], df["after"])):
        if _missing(value):
            if (i, "date") not in table.bad:
                table.problem(i, "date", "error", "missing date", ids[i])
            continue
        if not _missing(after):
            anchored.append(i)
            continue
        key = (value if isinstance(value, (str, int, dt.date)) else repr(value), published[i])
        if key not in cache:
            try:
                cache[key] = parse_date(value, published[i])
            except DateError as error:
                cache[key] = error
        result = cache[key]
        if isinstance(result, DateError):
            table.problem(i, "date", "error", str(result), ids[i])
        else:
            resolved[i] = result
    by_id = {event_id: i for i, event_id in reversed(list(enumerate(ids)))}
    pending = anchored
    for _ in range(len(anchored) + 1):  # anchors may chain; each pass resolves one level
        waiting = []
        for i in pending:
            anchor_id = str(df.at[i, "after"]).strip()
            j = by_id.get(anchor_id)
            if j is None or j == i:
                table.problem(i, "after", "error", f"no event with id {anchor_id!r} to anchor "
                                                   "this date on", ids[i])
                continue
            if resolved[j] is None:
                if j in pending:
                    waiting.append(i)
                continue
            try:
                resolved[i] = resolve_after(str(df.at[i, "date"]), resolved[j])
            except DateError as error:
                table.problem(i, "date", "error", str(error), ids[i])
        if len(waiting) == len(pending):
            for i in waiting:
                table.problem(i, "after", "error", "anchors form a cycle", ids[i])
            break
        pending = waiting
        if not pending:
            break
    out: dict[str, list] = {k: [None] * n for k in
                            ("date", "precision", "start", "end", "text", "published")}
    for i, result in enumerate(resolved):
        pub = published[i] or header_published
        out["published"][i] = pub.isoformat() if pub else None
        if result is None:
            continue
        if pub is not None:
            if result.start > pub:
                table.problem(i, "date", "error", f"date {result.date} is after publication "
                                                  f"({pub.isoformat()})", ids[i])
            elif result.precision == "range" and result.end > pub:
                table.problem(i, "date", "error", f"the range {result.date} ends after "
                                                  f"publication ({pub.isoformat()})", ids[i])
        out["date"][i] = result.date
        out["precision"][i] = result.precision
        out["start"][i] = result.start.isoformat()
        out["end"][i] = result.end.isoformat()
        out["text"][i] = result.text
        if result.text is None and not _missing(df.at[i, "date_text"]):
            out["text"][i] = str(df.at[i, "date_text"]).strip()
    return out


def _to_float(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _parse_geometry(table: RawTable, i: int, value: Any, event_id: str) -> Any:
    """GeoJSON dict, shapely geometry or WKT -> a valid shapely geometry, or None."""
    import shapely
    from shapely.geometry import shape

    try:
        if isinstance(value, dict):
            geom = shape(value)
        elif isinstance(value, str):
            geom = shapely.from_wkt(value)
        else:
            geom = value
        if geom is None or not isinstance(geom, shapely.Geometry):
            raise ValueError("not a geometry")
    except Exception as error:  # shapely raises several types for broken input
        table.problem(i, "geometry", "error", f"cannot read the geometry: {error}", event_id)
        return None
    if geom.is_empty:
        table.problem(i, "geometry", "error", "the geometry is empty", event_id)
        return None
    if geom.geom_type not in ("Point", "Polygon", "MultiPolygon"):
        table.problem(i, "geometry", "error", f"{geom.geom_type} is not supported: events are "
                                              "Points, Polygons or MultiPolygons", event_id)
        return None
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        table.problem(i, "geometry", "error", "the geometry has non-finite coordinates",
                      event_id)
        return None
    lon, lat = coords[:, 0], coords[:, 1]
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        swapped = (np.abs(lat) <= 180).all() and (np.abs(lon) <= 90).all()
        hint = " (are longitude and latitude swapped? GeoJSON is [lon, lat])" if swapped else ""
        table.problem(i, "geometry", "error",
                      f"coordinates out of range for WGS84 lon/lat{hint}", event_id)
        return None
    if shapely.get_coordinate_dimension(geom) > 2:
        geom = shapely.force_2d(geom)
    if geom.geom_type != "Point":  # one canonical ring order: RFC 7946's right-hand rule
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        repaired = shapely.make_valid(geom)
        if repaired.geom_type == "GeometryCollection":
            polys = [g for g in repaired.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            repaired = shapely.union_all(polys) if polys else repaired
        if repaired.geom_type in ("Polygon", "MultiPolygon") and not repaired.is_empty:
            repaired = shapely.orient_polygons(repaired, exterior_cw=False)
            table.problem(i, "geometry", "warning",
                          f"invalid geometry ({reason}) was repaired", event_id)
            return repaired
        table.problem(i, "geometry", "error",
                      f"invalid geometry ({reason}) cannot be repaired into an area", event_id)
        return None
    return geom


def _locate(table: RawTable, df: _Cols, ids: list[str], geocoder: Any) -> dict[str, list]:
    """Coordinates, geometries and gazetteer lookups -> location columns per row."""
    import shapely

    n = df.n
    out: dict[str, list] = {k: [None] * n for k in
                            ("place_id", "geo_precision", "country_code", "admin1_code",
                             "admin1_name", "latitude", "longitude", "geometry", "result")}
    lats = [_to_float(v) for v in df["latitude"]]
    lons = [_to_float(v) for v in df["longitude"]]
    exact = [False] * n
    for i in range(n):
        for name, value, parsed in (("latitude", df.at[i, "latitude"], lats[i]),
                                    ("longitude", df.at[i, "longitude"], lons[i])):
            if not _missing(value) and parsed is None and (i, name) not in table.bad:
                table.problem(i, name, "error", f"{name} must be a number, got "
                                                f"{str(value)[:40]!r}", ids[i])
                table.bad.add((i, name))
        geometry = df.at[i, "geometry"]
        if not _missing(geometry) if not isinstance(geometry, dict) else True:
            geom = _parse_geometry(table, i, geometry, ids[i])
            if geom is not None:
                out["geometry"][i] = geom
                point = geom if geom.geom_type == "Point" else geom.representative_point()
                out["latitude"][i], out["longitude"][i] = point.y, point.x
                exact[i] = True
            continue
        lat, lon = lats[i], lons[i]
        if (lat is None) != (lon is None):
            missing = "longitude" if lon is None else "latitude"
            if (i, missing) not in table.bad:
                table.problem(i, missing, "error", f"latitude and longitude come together: "
                                                   f"{missing} is missing", ids[i])
            continue
        if lat is None:
            continue
        if abs(lat) > 90 or abs(lon) > 180:
            swapped = abs(lat) <= 180 and abs(lon) <= 90
            hint = " (latitude and longitude look swapped)" if swapped else ""
            table.problem(i, "latitude" if abs(lat) > 90 else "longitude", "error",
                          f"coordinates out of range: latitude {lat}, longitude {lon}{hint}",
                          ids[i])
            continue
        out["latitude"][i], out["longitude"][i] = lat, lon
        exact[i] = True
    # location columns a file already carries (our own exports, ACLED precision codes)
    trusted = [False] * n
    for i in range(n):
        if not exact[i]:
            continue
        given = df.at[i, "geo_precision"]
        if not _missing(given):
            value = str(given).strip().lower()
            if value in GEO_PRECISIONS:
                out["geo_precision"][i] = value
            else:
                table.problem(i, "geo_precision", "error",
                              f"{str(given)[:40]!r} is not one of {', '.join(GEO_PRECISIONS)}",
                              ids[i])
        out["place_id"][i] = _int_or_none(df.at[i, "place_id"])
        if not _missing(df.at[i, "country_code"]):
            trusted[i] = True
            for name in ("country_code", "admin1_code", "admin1_name"):
                value = df.at[i, name]
                out[name][i] = None if _missing(value) else str(value).strip()

    # geocode each distinct (place, hints) once
    keys: list[tuple | None] = [None] * n
    for i in range(n):
        place = df.at[i, "place"]
        if trusted[i]:
            continue
        if _missing(place) or (i, "place") in table.bad:
            if not exact[i] and (i, "place") not in table.bad:
                table.problem(i, "place", "error", "missing place (or latitude/longitude, "
                                                   "or geometry)", ids[i])
            continue
        try:
            near = _hint_near(df.at[i, "near"])
        except (TypeError, ValueError):
            table.problem(i, "near", "error", "near must be a place name or [lat, lon]", ids[i])
            near = None
        keys[i] = (str(place).strip(), _hint_country(df.at[i, "country"]),
                   None if _missing(df.at[i, "within"]) else str(df.at[i, "within"]).strip(),
                   near)
    results: dict[tuple, dict] = {}
    distinct = {k for k in keys if k is not None}
    if distinct and geocoder is None:
        raise RuntimeError("no geocoder: pass geocoder=... or install the gazetteer")
    for key in distinct:
        place, country, within, near = key
        hints: dict[str, Any] = {"country": list(country) if country else None}
        if within is not None:  # only the hints given: online geocoders take fewer
            hints["within"] = within
        if near is not None:
            hints["near"] = near
        try:
            results[key] = geocoder.lookup(place, **hints)
        except Exception as error:  # a broken hint must not stop the whole file
            results[key] = {"error": f"{type(error).__name__}: {error}", "candidates": []}
    points_x: list[float] = []
    points_y: list[float] = []
    point_rows: list[int] = []
    for i in range(n):
        key = keys[i]
        result = results.get(key) if key is not None else None
        out["result"][i] = result
        if exact[i]:
            if out["geo_precision"][i] is None:
                out["geo_precision"][i] = "exact"
            if out["geometry"][i] is None:
                point_rows.append(i)
                points_x.append(out["longitude"][i])
                points_y.append(out["latitude"][i])
            if result and not result.get("error") and result.get("latitude") is not None \
                    and out["place_id"][i] is None:
                _check_swapped(table, i, ids[i], out, result, df)
            continue
        if result is None:
            continue
        place = key[0]
        if result.get("error"):
            table.problem(i, "place", "error", f"unknown place {place!r}: {result['error']}",
                          ids[i], _candidates(result))
            continue
        if result.get("ambiguous"):
            table.problem(i, "place", "error",
                          f"ambiguous place {place!r}: add country, within or near (or "
                          "latitude/longitude) to choose", ids[i], _candidates(result))
            continue
        out["latitude"][i] = float(result["latitude"])
        out["longitude"][i] = float(result["longitude"])
        out["place_id"][i] = _int_or_none(result.get("geonames_id"))
        out["geo_precision"][i] = _FEATURE_PRECISION.get(result.get("feature"), "locality")
        out["country_code"][i] = result.get("country_code")
        out["admin1_code"][i] = result.get("admin1_code")
        out["admin1_name"][i] = result.get("admin1_name")
        point_rows.append(i)
        points_x.append(out["longitude"][i])
        points_y.append(out["latitude"][i])
    if point_rows:
        points = shapely.points(np.asarray(points_x), np.asarray(points_y))
        for i, point in zip(point_rows, points):
            out["geometry"][i] = point
    out["exact"] = [e and not t for e, t in zip(exact, trusted)]
    return out


def _candidates(result: dict) -> list[dict]:
    keep = ("name", "latitude", "longitude", "country_code", "admin1_code", "admin1_name",
            "feature", "population", "geonames_id", "score")
    return [{k: c.get(k) for k in keep} for c in (result.get("candidates") or [])[:10]]


def _int_or_none(value: Any) -> int | None:
    if _missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_swapped(table: RawTable, i: int, event_id: str, out: dict, result: dict,
                   df: _Cols) -> None:
    """Given coordinates far from the named place, while the swapped pair is near it,
    are almost always latitude/longitude typed the wrong way round."""
    lat, lon = out["latitude"][i], out["longitude"][i]
    rlat, rlon = float(result["latitude"]), float(result["longitude"])
    distance = _haversine_km(lat, lon, rlat, rlon)
    if out["geometry"][i] is None and abs(lon) <= 90:
        swapped = _haversine_km(lon, lat, rlat, rlon)
        if distance > _SWAP_FAR_KM and swapped < _SWAP_NEAR_KM:
            table.problem(i, "latitude", "error",
                          f"latitude/longitude look swapped: ({lat}, {lon}) is {distance:.0f} km "
                          f"from {result.get('name')!r}, ({lon}, {lat}) only {swapped:.0f} km",
                          event_id)
            return
    if result.get("feature") == "place" and distance <= _SAME_PLACE_KM:
        out["place_id"][i] = _int_or_none(result.get("geonames_id"))


def _attach_regions(table: RawTable, df: _Cols, geo: dict, geocoder: Any,
                    regions: Any) -> None:
    """Regions for events located by coordinates: the boundaries when available, else the
    region of the nearest gazetteer place (good away from borders)."""
    import geopandas as gpd

    rows = [i for i, is_exact in enumerate(geo["exact"]) if is_exact and geo["geometry"][i]
            is not None]
    if not rows:
        return
    attach = None
    if regions is None:
        try:
            from geoevents.regions.attach import attach_regions as attach
        except ImportError:
            attach = None
    elif callable(regions):
        attach = regions
    attached = None
    if attach is not None:
        frame = gpd.GeoDataFrame({"_row": rows}, geometry=[geo["geometry"][i] for i in rows],
                                 crs="EPSG:4326")
        try:
            attached = attach(frame)
        except Exception as error:  # boundaries not installed/built: fall back, say so
            if regions is not None:
                raise
            warnings.warn(f"regions from the nearest gazetteer place: boundaries unavailable "
                          f"({error})", stacklevel=3)
    if attached is not None:
        for row, country, code, name in zip(attached["_row"], attached["country_code"],
                                            attached["admin1_code"], attached["admin1_name"]):
            geo["country_code"][row] = None if _missing(country) else country
            geo["admin1_code"][row] = None if _missing(code) else code
            geo["admin1_name"][row] = None if _missing(name) else name
        return
    if regions is False:
        return
    cache: dict[tuple[float, float], dict | None] = {}
    for i in rows:
        result = geo["result"][i]
        if result and not result.get("error") and result.get("admin1_code") and \
                _haversine_km(geo["latitude"][i], geo["longitude"][i],
                              float(result["latitude"]), float(result["longitude"])) <= 100:
            found = result
        elif hasattr(geocoder, "nearest_places"):
            key = (round(geo["latitude"][i], 2), round(geo["longitude"][i], 2))
            if key not in cache:
                nearest = geocoder.nearest_places(geo["latitude"][i], geo["longitude"][i], n=1)
                cache[key] = nearest[0] if nearest else None
            found = cache[key]
        else:
            found = None
        if found:
            geo["country_code"][i] = found.get("country_code")
            geo["admin1_code"][i] = found.get("admin1_code")
            geo["admin1_name"][i] = found.get("admin1_name")
