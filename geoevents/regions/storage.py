"""Compact on-disk form of the shipped boundary layers (one .npz per layer).

Why not GeoPackage or GeoParquet: a GeoPackage read through pyogrio costs far
more than our 0.5 s load budget for the admin-1 layer, and GeoParquet needs
pyarrow, which nothing else here uses. Shapely 2 can rebuild a whole layer
from flat coordinate and offset arrays in one vectorised call, so we store just
those: coordinates as integer steps of 1e-6 degree (about 0.1 m), delta-encoded
so they compress well, plus the attribute table as JSON.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

SCALE = 1e6  # integer units per degree


def write_layer(path: Path, geometries: np.ndarray, records: list[dict[str, Any]]) -> None:
    """Write geometries (all polygonal or all linear) and one record per geometry.

    Written to a temporary file first so a failed build never leaves half a layer."""
    geometries = np.asarray(geometries, dtype=object)
    if len(geometries) != len(records):
        raise ValueError("one record per geometry is required")
    kinds = set(shapely.get_type_id(geometries).tolist())
    if kinds <= {3, 6}:  # Polygon, MultiPolygon -> all MultiPolygon
        geometries = np.array([g if shapely.get_type_id(g) == 6 else shapely.multipolygons([g])
                               for g in geometries], dtype=object)
    elif kinds <= {1, 5}:
        geometries = np.array([g if shapely.get_type_id(g) == 5 else shapely.multilinestrings([g])
                               for g in geometries], dtype=object)
    else:
        raise ValueError(f"mixed or unsupported geometry types {sorted(kinds)}")
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
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    os.close(fd)
    try:
        _write_npz(tmp, arrays)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; shipped data is world-readable
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_npz(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez_compressed, but with fixed zip timestamps so a rebuild from the
    same inputs gives the same bytes (np.savez stamps the current time)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def read_layer(path: Path) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Geometries (shapely array) and records of one layer written by write_layer."""
    with np.load(path) as data:
        geom_type = shapely.GeometryType(int(data["geom_type"][0]))
        coords = np.cumsum(data["deltas"], axis=0, dtype=np.int64) / SCALE
        offsets = tuple(data[f"offsets{i}"].astype(np.int64) for i in range(3) if f"offsets{i}" in data)
        records = json.loads(data["records"].tobytes().decode())
    geometries = shapely.from_ragged_array(geom_type, coords, offsets)
    return geometries, records
