"""`write_events(gdf, path)`: events out as GeoJSON, CSV or GeoPackage, chosen by extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

WRITERS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg"}


def write_events(gdf: Any, path: str | Path, *, driver: str | None = None,
                 inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write an event GeoDataFrame atomically; never over any of `inputs`.

    driver: "geojson", "csv" or "gpkg" (default: from the extension).
    """
    path = Path(path)
    kind = driver or WRITERS.get(path.suffix.lower())
    if kind == "geojson":
        from geoevents.io.geojson import write_geojson
        return write_geojson(gdf, path, inputs=inputs)
    if kind == "csv":
        from geoevents.io.csv import write_csv
        return write_csv(gdf, path, inputs=inputs)
    if kind == "gpkg":
        from geoevents.io.gpkg import write_gpkg
        return write_gpkg(gdf, path, inputs=inputs)
    raise ValueError(f"{path}: unknown output type {path.suffix!r}; use .geojson, .csv or .gpkg")
