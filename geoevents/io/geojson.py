"""GeoJSON in and out. Output follows RFC 7946; input also accepts the legacy `crs` member.

RFC 7946 output: one FeatureCollection, WGS84 lon/lat, no `crs` member, exterior rings
counter-clockwise and holes clockwise (right-hand rule), coordinates rounded to 7
decimals (about 1 cm), a unique feature `id`, and flat properties that GIS tools read as
plain fields.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from geoevents.io.atomic import atomic_path
from geoevents.io.raw import RawTable

DECIMALS = 7
_WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326",
                "crs84", "ogc:crs84", "wgs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84"}


def _value(value: Any) -> Any:
    """A JSON-safe scalar: NaN/NA -> null, numpy scalars -> Python."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    try:
        import pandas as pd
        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value if isinstance(value, str) else str(value)


def _ring(coords: np.ndarray) -> list[list[float]]:
    return np.round(coords[:, :2], DECIMALS).tolist()


def geometry_to_geojson(geom: Any) -> dict[str, Any] | None:
    """A shapely geometry as an RFC 7946 geometry dict (right-hand rule, 7 decimals)."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if kind == "Point":
        return {"type": "Point", "coordinates": [round(geom.x, DECIMALS), round(geom.y, DECIMALS)]}
    if kind in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
        polygons = [geom] if kind == "Polygon" else list(geom.geoms)
        coords = [[_ring(np.asarray(p.exterior.coords))]
                  + [_ring(np.asarray(r.coords)) for r in p.interiors] for p in polygons]
        return {"type": kind, "coordinates": coords[0] if kind == "Polygon" else coords}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": _ring(shapely.get_coordinates(geom))}
    if kind == "LineString":
        return {"type": kind, "coordinates": _ring(np.asarray(geom.coords))}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_ring(np.asarray(g.coords)) for g in geom.geoms]}
    return {"type": "GeometryCollection",
            "geometries": [geometry_to_geojson(g) for g in geom.geoms]}


def to_feature_collection(gdf: Any) -> dict[str, Any]:
    """The events as an RFC 7946 FeatureCollection dict."""
    return {"type": "FeatureCollection", "features": list(iter_features(gdf))}


def iter_features(gdf: Any) -> Any:
    """RFC 7946 Feature dicts, one per event (ids checked unique before the first)."""
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geometry_name = gdf.geometry.name
    columns = [c for c in gdf.columns if c != geometry_name]
    ids = gdf["id"].astype(str).tolist() if "id" in gdf.columns else \
        [str(i + 1) for i in range(len(gdf))]
    if len(set(ids)) != len(ids):
        raise ValueError("event ids must be unique for GeoJSON feature ids")
    geoms = gdf.geometry.to_numpy()
    # Points (most events) are serialised in one vectorised step.
    import shapely
    is_point = shapely.get_type_id(geoms) == 0
    xy = np.round(shapely.get_coordinates(geoms[is_point]), DECIMALS).tolist()
    point_iter = iter(xy)
    rows = zip(*[_column_values(gdf[c]) for c in columns]) if columns else \
        iter([()] * len(gdf))
    return _features(rows, ids, is_point, point_iter, geoms, columns)


def _features(rows: Any, ids: list[str], is_point: Any, point_iter: Any, geoms: Any,
              columns: list[str]) -> Any:
    for i, row in enumerate(rows):
        if is_point[i]:
            geometry = {"type": "Point", "coordinates": next(point_iter)}
        else:
            geometry = geometry_to_geojson(geoms[i])
        yield {"type": "Feature", "id": ids[i], "geometry": geometry,
               "properties": dict(zip(columns, row))}


def _column_values(series: Any) -> list[Any]:
    """A column as JSON-safe Python values, converted per column (fast for big tables)."""
    kind = series.dtype.kind
    if kind == "f":
        return [None if v != v else v for v in series.tolist()]
    if kind in "biu" and not hasattr(series.dtype, "na_value"):
        return series.tolist()
    if kind == "b" or str(series.dtype) in ("Int64", "Int32", "boolean"):
        return [None if v is None else v for v in
                series.astype(object).where(series.notna(), None).tolist()]
    return [v if v is None or type(v) is str else _value(v) for v in series.tolist()]


def write_geojson(gdf: Any, path: str | Path, *, inputs: tuple[str | Path, ...] = (),
                  chunk: int = 5000) -> Path:
    """Write events as RFC 7946 GeoJSON, atomically, a few thousand features at a time
    (json.dumps' C encoder per chunk: fast, without holding the whole text in memory)."""
    import itertools

    features = iter_features(gdf)
    with atomic_path(path, inputs) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write('{"type":"FeatureCollection","features":[')
            first = True
            while batch := list(itertools.islice(features, chunk)):
                text = json.dumps(batch, ensure_ascii=False, allow_nan=False,
                                  separators=(",", ":"))[1:-1]
                handle.write(text if first else "," + text)
                first = False
            handle.write("]}\n")
    return Path(path)


def _transformer(crs: Any, table: RawTable) -> Any:
    """A lon/lat transformer for a legacy `crs` member, or None when it is already WGS84."""
    if crs is None:
        return None
    name = None
    if isinstance(crs, dict):
        props = crs.get("properties") or {}
        name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        table.file_problem(None, "crs", "warning", "unreadable legacy crs member ignored; "
                                                   "assuming WGS84 lon/lat")
        return None
    if name.strip().lower() in _WGS84_NAMES:
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(name)
    except CRSError:
        table.file_problem(None, "crs", "error", f"unknown crs {name!r}")
        return None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    table.file_problem(None, "crs", "warning", f"coordinates reprojected from {name} to WGS84")
    return Transformer.from_crs(source, "EPSG:4326", always_xy=True)


def read_geojson_table(path: str | Path) -> RawTable:
    """Read a GeoJSON FeatureCollection (or single Feature) into a RawTable."""
    import pandas as pd
    import shapely
    from shapely.geometry import shape

    path = Path(path)
    table = RawTable(path=path, kind="geojson", frame=pd.DataFrame())
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as error:
        table.file_problem(None, None, "error", f"the file is not UTF-8 text ({error.reason})")
        return table
    except json.JSONDecodeError as error:
        table.file_problem(error.lineno, None, "error",
                           f"JSON syntax error: {error.msg} (column {error.colno})")
        return table
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data], "crs": data.get("crs")}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or \
            not isinstance(data.get("features"), list):
        table.file_problem(1, "type", "error", "expected a GeoJSON FeatureCollection with a "
                                               "features list")
        return table
    transformer = _transformer(data.get("crs"), table)
    records: list[dict[str, Any]] = []
    labels: list[str] = []
    for index, feature in enumerate(data["features"]):
        label = f"features[{index}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            table.file_problem(None, label, "error", "not a GeoJSON Feature")
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            table.file_problem(None, f"{label}.properties", "error", "properties must be an object")
            continue
        record = {k: v for k, v in props.items() if not isinstance(v, (dict, list))
                  or k in ("country", "near")}
        for key, value in props.items():
            if isinstance(value, (dict, list)) and key not in ("country", "near"):
                table.file_problem(None, f"{label}.properties.{key}", "warning",
                                   "nested property ignored (properties must be flat)")
        if "id" not in record and feature.get("id") is not None:
            record["id"] = feature["id"]
        geometry = feature.get("geometry")
        if geometry is not None:
            try:
                geom = shape(geometry)
                if transformer is not None:
                    geom = shapely.transform(geom, lambda xy: np.column_stack(
                        transformer.transform(xy[:, 0], xy[:, 1])))
                record["geometry"] = geom
            except Exception as error:  # malformed coordinates of many kinds
                table.file_problem(None, f"{label}.geometry", "error",
                                   f"cannot read the geometry: {error}")
                record["geometry"] = None
        records.append(record)
        labels.append(label)
    table.frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    table.row_labels = labels
    starts = _feature_lines(text)
    if len(starts) == len(data["features"]):
        table.row_lines = [starts[int(label[9:-1])] for label in labels]
    return table


def _feature_lines(text: str) -> list[int]:
    """Line (1-based) where each Feature object's `"type": "Feature"` member sits, so
    problems in a GeoJSON file can be located like those in YAML."""
    import bisect
    import re

    newlines = [m.start() for m in re.finditer("\n", text)]
    return [bisect.bisect_left(newlines, m.start()) + 1
            for m in re.finditer(r'"type"\s*:\s*"Feature"', text)]
