"""GeoPackage in and out through GDAL (pyogrio): the format QGIS and ArcGIS open natively."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoevents.io.atomic import atomic_path
from geoevents.io.raw import RawTable

LAYER = "events"


def write_gpkg(gdf: Any, path: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write events to a GeoPackage layer `events` (EPSG:4326), atomically."""
    import pyogrio
    from pyogrio.errors import DataSourceError

    frame = gdf.to_crs("EPSG:4326") if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") \
        else gdf
    types = set(frame.geometry.geom_type.dropna())
    geometry_type = types.pop() if len(types) == 1 else "Unknown"
    with atomic_path(path, inputs, write_errors=(DataSourceError,)) as tmp:
        pyogrio.write_dataframe(frame, tmp, layer=LAYER, driver="GPKG",
                                geometry_type=geometry_type)
    return Path(path)


def read_gpkg_table(path: str | Path) -> RawTable:
    """Read the `events` layer (or the only layer) of a GeoPackage into a RawTable."""
    import pandas as pd
    import pyogrio

    path = Path(path)
    table = RawTable(path=path, kind="gpkg", frame=pd.DataFrame())
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        layer = LAYER if LAYER in layers else (layers[0] if layers else None)
        if layer is None:
            table.file_problem(None, None, "error", "the GeoPackage has no layers")
            return table
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as error:  # GDAL reports many kinds of broken files
        table.file_problem(None, None, "error", f"cannot read the GeoPackage: {error}")
        return table
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    table.frame = _plain(frame)
    table.row_labels = [f"{layer}[{i + 1}]" for i in range(len(frame))]
    return table


def _plain(frame: Any) -> Any:
    """A GeoDataFrame as a plain DataFrame with a `geometry` column of shapely objects."""
    import pandas as pd

    geometry = frame.geometry.to_numpy()
    plain = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    plain["geometry"] = list(geometry)
    return plain.reset_index(drop=True)
