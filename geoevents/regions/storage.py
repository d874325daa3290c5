"""Compact form of the boundary layers (one .npz per layer), used as a derived cache.

The shipped data is a GeoPackage (geoevents.regions.shipped); reading it through
GDAL costs 0.2-0.6 s, so the first load copies each layer into this form in the
user cache dir (geoevents.regions.layer_cache), which loads in about 0.1 s.
Shapely 2 rebuilds a whole layer from flat coordinate and offset arrays in one
vectorised call, so we store just those: coordinates as integer steps of 1e-6
degree (about 0.1 m), delta-encoded into int32 (half the bytes of float64), plus the attribute
table as JSON. Nothing in data/ uses this format.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geoevents.io.atomic import atomic_path

SCALE = 1e6  # integer units per degree


def as_multi(geometries: np.ndarray) -> np.ndarray:
    """All polygonal geometries as MultiPolygons, or all linear ones as MultiLineStrings:
    one geometry type per layer, as GeoPackage layers and ragged arrays want."""
    geometries = np.asarray(geometries, dtype=object)
    kinds = set(shapely.get_type_id(geometries).tolist())
    if kinds <= {3, 6}:  # Polygon, MultiPolygon
        return np.array([g if shapely.get_type_id(g) == 6 else shapely.multipolygons([g])
                         for g in geometries], dtype=object)
    if kinds <= {1, 5}:  # LineString, MultiLineString
        return np.array([g if shapely.get_type_id(g) == 5 else shapely.multilinestrings([g])
                         for g in geometries], dtype=object)
    raise ValueError(f"mixed or unsupported geometry types {sorted(kinds)}")


def on_grid(geometries: np.ndarray) -> np.ndarray:
    """Multi-part geometries with every vertex rounded to the 1e-6 degree storage grid.

    Exactly what a write_layer/read_layer round trip gives, so the shipped
    GeoPackage, the cache and a fresh recipe run all hold the same coordinates."""
    return shapely.transform(as_multi(geometries), lambda xy: np.round(xy * SCALE) / SCALE)


def write_layer(path: Path, geometries: np.ndarray, records: list[dict[str, Any]]) -> None:
    """Write geometries (all polygonal or all linear) and one record per geometry.

    Written to a temporary file first, so a failed or concurrent build never leaves
    half a layer for another process to read."""
    geometries = as_multi(geometries)
    if len(geometries) != len(records):
        raise ValueError("one record per geometry is required")
    geom_type, coords, offsets = shapely.to_ragged_array(geometries)
    ints = np.round(coords * SCALE).astype(np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    if np.abs(deltas).max(initial=0) >= 2**31:
        raise ValueError("coordinate step too large for int32 storage")
    arrays = {
        "geom_type": np.array([int(geom_type)], dtype=np.int8),
        "deltas": deltas.astype(np.int32),
        "records": np.frombuffer(json.dumps(records, ensure_ascii=False, sort_keys=True).encode(), dtype=np.uint8),
    }
    for i, offset in enumerate(offsets):
        arrays[f"offsets{i}"] = np.asarray(offset, dtype=np.int32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        _write_npz(tmp, arrays)


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez, but with fixed zip timestamps so the same layer gives the same bytes.

    Stored, not deflated: as a cache it is built on a user's first load, where
    deflate cost 4.5 s for admin-1 against 0.4 s stored, and loading the stored
    form takes half the CPU time (0.09 s against 0.17 s), for 10.6 MB instead of 4.8 MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def read_layer(path: Path) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Geometries (shapely array) and records of one layer written by write_layer."""
    with np.load(path) as data:
        geom_type = shapely.GeometryType(int(data["geom_type"][0]))
        coords = np.cumsum(data["deltas"], axis=0, dtype=np.int64) / SCALE
        offsets = tuple(data[f"offsets{i}"].astype(np.int64) for i in range(3) if f"offsets{i}" in data)
        records = json.loads(data["records"].tobytes().decode())
    geometries = shapely.from_ragged_array(geom_type, coords, offsets)
    return geometries, records
