"""The shipped boundaries file: one GeoPackage, data/boundaries/boundaries.gpkg.

Why GeoPackage: GIS users open it as it is (QGIS, ArcGIS, ogrinfo), and its
compressed size in git and in the wheel (about 15 MB) is no larger than a
zipped GeoPackage's; docs/regions.md has the measurements behind the choice.
Three layers in EPSG:4326: admin0, admin1, land_borders. GeoPackage has no list
type, so the list columns of admin1 (local_names, aliases) are JSON text; the
land_borders columns country_a/country_b are `a`/`b` in the Python API.

The writer is deterministic: rows, columns and coordinates come in a fixed
order and GDAL's timestamps are pinned (OGR_CURRENT_DATE), so the same layers
give the same bytes with the same GDAL build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

FILE_NAME = "boundaries.gpkg"
LAYERS = ("admin0", "admin1", "land_borders")
JSON_COLUMNS = frozenset({"local_names", "aliases"})
# file column -> Python API column, where they differ
API_NAMES = {"land_borders": {"country_a": "a", "country_b": "b"}}


def write_geopackage(path: Path, layers: Mapping[str, Any], *, date: str,
                     descriptions: Mapping[str, str],
                     columns: Mapping[str, Mapping[str, tuple[str, str]]]) -> None:
    """Write GeoDataFrames (file column names, EPSG:4326) as layers of one GeoPackage.

    `descriptions` gives each layer's description, `columns` each column's
    (title, description), stored in the GeoPackage schema extension
    (gpkg_data_columns), where GDAL and QGIS find them as field aliases and
    comments. `date` (ISO 8601, UTC) is stamped as every layer's last change
    instead of the clock, so a rebuild from the same layers is byte-identical.
    Written beside `path` and renamed into place, so a failure leaves the old file."""
    import pyogrio

    from geoevents.io.atomic import atomic_path

    for name, frame in layers.items():
        missing = [c for c in frame.columns if c != frame.geometry.name and c not in columns.get(name, {})]
        if missing:
            raise ValueError(f"layer {name}: no title/description for column(s) {', '.join(missing)}")
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": date})
    try:
        with atomic_path(path) as tmp:
            for position, (name, frame) in enumerate(layers.items()):
                frame = frame.copy()
                for column in JSON_COLUMNS & set(frame.columns):
                    frame[column] = [json.dumps(list(v), ensure_ascii=False) for v in frame[column]]
                kind = set(frame.geom_type)
                if len(kind) != 1:
                    raise ValueError(f"layer {name}: one geometry type expected, got {sorted(kind)}")
                pyogrio.write_dataframe(
                    frame, tmp, layer=name, driver="GPKG", geometry_type=kind.pop(),
                    layer_options={"IDENTIFIER": name, "DESCRIPTION": descriptions.get(name, "")},
                    # GeoPackage 1.2, not GDAL's newer default: GDAL 3.6 (Debian 12's
                    # QGIS) warns that a 1.4 file "may only be partially supported"
                    dataset_options={"VERSION": "1.2"} if position == 0 else None,
                )
            _describe_columns(tmp, {name: columns[name] for name in layers})
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _describe_columns(path: Path, columns: Mapping[str, Mapping[str, tuple[str, str]]]) -> None:
    """Record column titles and descriptions with the GeoPackage schema extension.

    pyogrio cannot pass GDAL field aliases or comments, so they are written with
    SQL into the tables the GeoPackage standard defines for them. The title goes
    into both `name` (the short name readers show as the field alias) and `title`."""
    import contextlib
    import sqlite3

    definition = "http://www.geopackage.org/spec/#extension_schema"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("""CREATE TABLE IF NOT EXISTS gpkg_data_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,
            description TEXT, mime_type TEXT, constraint_name TEXT,
            CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
            CONSTRAINT gdc_tn UNIQUE (table_name, name))""")
        db.execute("""CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (
            constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT,
            min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN,
            description TEXT,
            CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))""")
        db.executemany(
            "INSERT OR REPLACE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_schema', ?, 'read-write')",
            [("gpkg_data_columns", definition), ("gpkg_data_column_constraints", definition)])
        db.executemany(
            "INSERT OR REPLACE INTO gpkg_data_columns VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [(layer, column, title, title, text, "application/json" if column in JSON_COLUMNS else None)
             for layer, described in columns.items() for column, (title, text) in described.items()])


def read_layer(path: Path, layer: str) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Geometries (shapely array) and records (Python API column names, lists decoded,
    nulls as None) of one layer, read through GDAL."""
    import pyogrio.raw
    import shapely

    meta, _, wkb, columns = pyogrio.raw.read(path, layer=layer)
    names = [API_NAMES.get(layer, {}).get(name, name) for name in meta["fields"]]
    values = []
    for name, column in zip(meta["fields"], columns):
        items = column.tolist()
        if name in JSON_COLUMNS:
            items = [None if v is None else json.loads(v) for v in items]
        values.append([None if isinstance(v, float) and v != v else v for v in items])  # NaN -> None
    return shapely.from_wkb(wkb), [dict(zip(names, row)) for row in zip(*values)]
