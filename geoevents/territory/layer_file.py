"""Read one control-layer file into checked rows: date, controller, source, status, geometry.

Why: every consumer of a control layer (diff, timeline, claim checks, maps)
needs the same guarantees — text controllers and sources (never an integer in
one snapshot and null in the next), a real status and date, WGS84 polygons with
finite in-range coordinates, one representation across ±180°, and a located
error (`file:feature N (line L):field: error: ...`) for anything else. GeoJSON
is parsed strictly here (layer_json); GeoPackage, Shapefile and FlatGeobuf come
through GDAL (pyogrio) and get the same property and geometry checks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geoevents.territory.antimeridian import WindingError, needs_normalising, normalize_one
from geoevents.territory.area import polygonal
from geoevents.territory.errors import (
    ControlLayerError,
    InvalidGeometryWarning,
    Problems,
    Where,
    located,
    short,
)
from geoevents.territory.polygons import (
    GeometryProblem,
    PositionBudget,
    TooManyPositions,
    check_coordinates,
    from_geojson,
    polygonal_parts,
)

GEOJSON_SUFFIXES = (".geojson", ".json")
STATUSES = ("assessed", "claimed")
#: longest controller or source text accepted (a country code needs 2)
MAX_LABEL_CHARS = 200
ROW_COLUMNS = ["feature", "line", "date", "controller", "source", "status", "geometry"]

_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "urn:ogc:def:crs:epsg::4326",
    "epsg:4326", "crs84", "ogc:crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", re.DOTALL)


@dataclass(frozen=True)
class Defaults:
    """Values for features that do not say (the command line's --controller etc.)."""

    controller: str
    source: str
    status: str


@dataclass
class _Feature:
    where: Where
    properties: dict[str, Any]
    geometry: Any  # shapely geometry once built


def read_layer_file(path: Path, defaults: Defaults, *, want_dates: bool | None) -> pd.DataFrame:
    """Checked rows of one control file (columns ROW_COLUMNS); ControlLayerError lists what is wrong.

    `date` is parsed from each feature's `date` property when `want_dates` is
    True (every feature then needs one), or None and some feature has one; else
    `date` is None and the caller dates the rows (from the file name)."""
    problems = Problems()
    if path.suffix.lower() in GEOJSON_SUFFIXES:
        features, transformer = _geojson_features(path, problems)
    else:
        features, transformer = _gdal_features(path, problems)
    if want_dates is None:
        want_dates = any(not _blank(f.properties.get("date")) for f in features)
    rows = []
    for feature in features:
        row = _properties(feature, defaults, want_dates, problems)
        if row is not None and feature.geometry is not None:
            rows.append((feature, row))
    geoms = _finish_geometries([f for f, _ in rows], transformer, problems)
    problems.raise_if_any()
    records = [
        (f.where.feature, f.where.line, row["date"], row["controller"], row["source"], row["status"], geom)
        for (f, row), geom in zip(rows, geoms)
    ]
    return pd.DataFrame.from_records(records, columns=ROW_COLUMNS)


# ----------------------------------------------------------------------------- GeoJSON


def _geojson_features(path: Path, problems: Problems) -> tuple[list[_Feature], Any]:
    from geoevents.territory.layer_json import read_layer_json

    layer = read_layer_json(path)
    members = layer.members
    kind = members.get("type")
    top = Where(path, line=1)
    if kind == "Feature":
        if "features" in members:
            raise ControlLayerError(located(top.at("features"), "a Feature has no `features` member; "
                                            "use \"type\": \"FeatureCollection\""))
        raw = [(1, 1, members)]
    elif kind == "FeatureCollection":
        if "features" not in members:
            raise ControlLayerError(located(top.at("features"), "a FeatureCollection needs a `features` array"))
        if members["features"] is not None:  # decoded as a value: it was not an array
            raise ControlLayerError(located(Where(path, line=layer.features_line, field="features"),
                                            f"must be an array of Features, not {short(members['features'])}"))
        raw = [(f.index, f.line, f.value) for f in layer.features]
        if not raw:
            raise ControlLayerError(located(Where(path, line=layer.features_line, field="features"),
                                            "no features: an empty snapshot would read as all ground lost; "
                                            "a control layer needs at least one polygon"))
    else:
        raise ControlLayerError(located(top.at("type"), f"expected a GeoJSON FeatureCollection, not "
                                        f"{short(kind)}"))
    transformer = _transformer(_geojson_crs(members.get("crs"), top.at("crs")), top.at("crs"))
    budget = PositionBudget()
    features = []
    bools = {f.index: f.has_literal_bool for f in layer.features}
    for index, line, value in raw:
        where = Where(path, index, line)
        if not isinstance(value, dict) or value.get("type") != "Feature":
            problems.add(where.at("type"), "not a GeoJSON Feature (an object with \"type\": \"Feature\")")
            continue
        if "features" in value:
            problems.add(where.at("features"), "a Feature has no `features` member")
            continue
        properties = value.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            problems.add(where.at("properties"), f"must be an object or null, not {short(properties)}")
            continue
        budget.bools_possible = bools.get(index, True)
        try:
            geometry = from_geojson(value.get("geometry"), budget)
        except TooManyPositions as problem:
            problems.add(where.at(problem.field), problem.message)
            break  # stop before building more
        except GeometryProblem as problem:
            problems.add(where.at(problem.field), problem.message)
            geometry = None
        features.append(_Feature(where, properties, geometry))
    return features, transformer


def _geojson_crs(member: Any, where: Where) -> Any:
    """The CRS a legacy GeoJSON `crs` member names (None for WGS84 / absent)."""
    if member is None:
        return None
    name = None
    if isinstance(member, dict) and member.get("type") == "name":
        properties = member.get("properties")
        name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip() or len(name) > 500:
        raise ControlLayerError(located(where, "a legacy `crs` member must be {\"type\": \"name\", "
                                        "\"properties\": {\"name\": \"EPSG:...\"}}; better leave it out "
                                        "(RFC 7946 GeoJSON is always WGS84 longitude/latitude)"))
    if name.strip().lower() in _WGS84_NAMES:
        return None
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        return CRS.from_user_input(name.strip())
    except CRSError:
        raise ControlLayerError(located(where, f"unknown coordinate reference system {short(name)}")) from None


# ----------------------------------------------------------------------------- GDAL formats


def _gdal_features(path: Path, problems: Problems) -> tuple[list[_Feature], Any]:
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as error:  # GDAL errors come in many classes; name the file
        raise ControlLayerError(located(Where(path), f"cannot read as a vector layer "
                                        f"({short(str(error))})")) from error
    if frame.empty:
        raise ControlLayerError(located(Where(path), "no features: an empty snapshot would read as all "
                                        "ground lost; a control layer needs at least one polygon"))
    transformer = _transformer(frame.crs, Where(path, field="crs"))
    wanted = [c for c in ("date", "controller", "source", "status") if c in frame.columns]
    budget = PositionBudget()
    features = []
    for index, (values, geom) in enumerate(zip(frame[wanted].itertuples(index=False, name=None),
                                               frame.geometry.to_numpy()), start=1):
        where = Where(path, index)
        properties = {name: _plain(value) for name, value in zip(wanted, values)}
        try:
            geom = polygonal_parts(geom)
            budget.take(int(shapely.get_num_coordinates(geom)), "geometry")
        except TooManyPositions as problem:
            problems.add(where.at(problem.field), problem.message)
            break
        except GeometryProblem as problem:
            problems.add(where.at(problem.field), problem.message)
            geom = None
        features.append(_Feature(where, properties, geom))
    return features, transformer


def _plain(value: Any) -> Any:
    """numpy/pandas scalars as Python values; missing values (NaN, NaT, NA) as None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


# ----------------------------------------------------------------------------- shared checks


def _transformer(crs: Any, where: Where) -> Any:
    """A transformer to WGS84 longitude/latitude, or None when the data already are."""
    if crs is None:
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import ProjError

    wgs84 = CRS.from_epsg(4326)
    if crs.equals(wgs84, ignore_axis_order=True):
        return None
    ellipsoid = crs.ellipsoid
    if ellipsoid is None or not 6.3e6 < ellipsoid.semi_major_metre < 6.4e6:
        body = ellipsoid.name if ellipsoid is not None else "no ellipsoid"
        raise ControlLayerError(located(where, f"{short(crs.name)} is not a coordinate system of the "
                                        f"Earth ({short(body)}); control layers are WGS84 longitude/latitude"))
    try:
        return Transformer.from_crs(crs, wgs84, always_xy=True)
    except ProjError as error:
        raise ControlLayerError(located(where, f"cannot convert {short(crs.name)} to WGS84 "
                                        f"({short(str(error))})")) from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _label(value: Any, where: Where, name: str, default: str, problems: Problems) -> str | None:
    """A controller or source as text: strings stripped, integers as their digits, blank -> default."""
    if _blank(value):
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        problems.add(where.at(f"properties.{name}"), f"must be text (e.g. a country code such as RU), "
                                                     f"not {short(value)}")
        return None
    text = value.strip()
    if len(text) > MAX_LABEL_CHARS:
        problems.add(where.at(f"properties.{name}"), f"is {len(text):,} characters long "
                                                     f"(at most {MAX_LABEL_CHARS})")
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        problems.add(where.at(f"properties.{name}"), f"contains control characters: {short(text)}")
        return None
    return text


def _date(value: Any, where: Where, problems: Problems) -> dt.date | None:
    field = where.at("properties.date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _blank(value):
        problems.add(field, "no `date`; every feature of a multi-date layer needs one (YYYY-MM-DD)")
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        problems.add(field, f"{short(value)} is not an ISO date (YYYY-MM-DD)")
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError as error:
        problems.add(field, f"{short(value)} is not a real date ({error})")
        return None


def _properties(feature: _Feature, defaults: Defaults, want_dates: bool, problems: Problems) -> dict | None:
    props, where = feature.properties, feature.where
    before = len(problems)
    row = {
        "controller": _label(props.get("controller"), where, "controller", defaults.controller, problems),
        "source": _label(props.get("source"), where, "source", defaults.source, problems),
        "status": defaults.status,
        "date": _date(props.get("date"), where, problems) if want_dates else None,
    }
    status = props.get("status")
    if not _blank(status):
        if status not in STATUSES:
            problems.add(where.at("properties.status"), f"{short(status)} is not one of {', '.join(STATUSES)}")
        else:
            row["status"] = status
    return row if len(problems) == before else None


def _finish_geometries(features: list[_Feature], transformer: Any, problems: Problems) -> list[Any]:
    """Project to WGS84, check coordinates, normalise ±180 and poles, repair, refuse empty areas."""
    geoms = np.array([f.geometry for f in features], dtype=object)
    if not len(geoms):
        return []
    originals = geoms
    if transformer is not None:
        def to_wgs84(xy: np.ndarray) -> np.ndarray:
            return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1], errcheck=False))

        geoms = shapely.transform(geoms, to_wgs84)
    ok = np.ones(len(geoms), dtype=bool)
    for i, (feature, geom) in enumerate(zip(features, geoms)):
        try:
            check_coordinates(geom)
            if transformer is not None:
                _check_round_trip(originals[i], geom, transformer)
        except GeometryProblem as problem:
            note = " (after conversion to WGS84)" if transformer is not None else ""
            problems.add(feature.where.at(problem.field), problem.message + note)
            ok[i] = False
    for i in np.flatnonzero(needs_normalising(geoms) & ok):
        try:
            geoms[i] = normalize_one(geoms[i])
        except WindingError as error:
            problems.add(features[i].where.at("geometry"), str(error))
            ok[i] = False
    invalid = ok & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = polygonal(shapely.make_valid(geoms[invalid], method="structure",
                                                      keep_collapsed=False))
    empty = ok & (shapely.is_empty(geoms) | (shapely.area(geoms) == 0))
    for i in np.flatnonzero(empty):
        problems.add(features[i].where.at("geometry"), "the polygon encloses no area (its rings collapse "
                                                       "to lines or points)")
    repaired = np.flatnonzero(invalid & ~empty)
    if len(repaired) and not len(problems):
        _warn_repaired([features[i].where for i in repaired])
    return list(geoms)


def _check_round_trip(original: Any, converted: Any, transformer: Any) -> None:
    """Positions outside a projection's domain come back wrapped (Mercator x = 1e9 m -> -16.8°).

    A position that does not convert to WGS84 and back to itself is not a
    position in that coordinate system; refuse it rather than draw it elsewhere."""
    before = shapely.get_coordinates(original)
    after = shapely.get_coordinates(converted)
    back = np.column_stack(transformer.transform(after[:, 0], after[:, 1], direction="INVERSE", errcheck=False))
    with np.errstate(invalid="ignore"):
        bad = ~np.isclose(back, before, rtol=1e-7, atol=1e-3).all(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise GeometryProblem("geometry", f"position ({before[i, 0]:g}, {before[i, 1]:g}) is outside the "
                                          f"domain of {short(transformer.source_crs.name)}: it does not "
                                          "convert to WGS84 and back")


def _warn_repaired(wheres: list[Where]) -> None:
    count = len(wheres)
    what = (f"repaired {count} invalid geometr{'y' if count == 1 else 'ies'} with make_valid "
            "(self-intersecting or overlapping rings)")
    if count == 1:
        message = located(wheres[0].at("geometry"), what, "warning")
    else:
        listed = ", ".join(f"feature {w.feature}" + (f" (line {w.line})" if w.line else "") for w in wheres[:10])
        more = f" and {count - 10} more" if count > 10 else ""
        message = located(Where(wheres[0].path), f"{what}: {listed}{more}", "warning")
    warnings.warn(message, InvalidGeometryWarning, stacklevel=4)
