"""`read_events(path)`: any supported event file -> the event GeoDataFrame.

The format is chosen by the file extension; every format goes through the same checks
(geoevents.events.normalize), so a YAML file and its GeoJSON export load identically.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geoevents.events.model import EventFileError, Problem

READERS = {
    ".yaml": "yaml", ".yml": "yaml",
    ".geojson": "geojson", ".json": "geojson",
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".kml": "kml",
    ".gpkg": "gpkg",
}


def read_table(path: str | Path) -> Any:
    """Parse a file into a RawTable without checking or geocoding it."""
    path = Path(path)
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path}: unknown event file type {path.suffix!r}; expected one of "
                         f"{', '.join(sorted(READERS))}")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if kind == "yaml":
        from geoevents.events.yamlfile import read_yaml_table
        return read_yaml_table(path)
    if kind == "geojson":
        from geoevents.io.geojson import read_geojson_table
        return read_geojson_table(path)
    if kind == "csv":
        from geoevents.io.csv import read_csv_table
        return read_csv_table(path)
    if kind == "kml":
        from geoevents.io.kml import read_kml_table
        return read_kml_table(path)
    from geoevents.io.gpkg import read_gpkg_table
    return read_gpkg_table(path)


def default_geocoder() -> Any:
    """The offline gazetteer (process-wide singleton)."""
    from geoevents.places.gazetteer import Gazetteer
    return Gazetteer.default()


def load_events(path: str | Path, *, geocoder: Any = None,
                regions: Callable[[Any], Any] | bool | None = None,
                defaults: dict[str, Any] | None = None) -> tuple[Any, list[Problem]]:
    """Read, check and geocode an event file; return (GeoDataFrame, every problem).

    geocoder: an object with `lookup(name, country=, within=, near=)` returning the
    gazetteer result dict (default: the offline gazetteer). regions: a function adding
    country_code/admin1_code/admin1_name to a GeoDataFrame of points (default:
    geoevents.regions.attach.attach_regions when installed; False: never).
    defaults: values for fields a file leaves empty (e.g. published, source, claimant).
    """
    from geoevents.events.normalize import normalize

    table = read_table(path)
    if any(p.severity == "error" and p.line is not None and p.field is None
           for p in table.problems) and table.frame.empty:
        return _empty(), table.problems
    if geocoder is None:
        needs_places = "place" in table.frame.columns and table.frame["place"].notna().any()
        try:
            geocoder = default_geocoder()
        except ImportError:
            if needs_places:
                raise
    gdf, problems = normalize(table, geocoder=geocoder, regions=regions, defaults=defaults)
    return gdf, problems


def read_events(path: str | Path, *, geocoder: Any = None,
                regions: Callable[[Any], Any] | bool | None = None,
                defaults: dict[str, Any] | None = None,
                errors: str = "raise") -> Any:
    """Read an event file (YAML, GeoJSON, CSV incl. ACLED-style, GeoPackage, KML) into a
    GeoDataFrame in EPSG:4326 with the columns of docs/events.md.

    errors="raise" (default) raises EventFileError listing every error; "warn" emits
    them as warnings and returns what could be read; "ignore" returns silently.
    Warnings (repaired geometries, assumed statuses) are always emitted as warnings.
    """
    if errors not in ("raise", "warn", "ignore"):
        raise ValueError("errors must be 'raise', 'warn' or 'ignore'")
    gdf, problems = load_events(path, geocoder=geocoder, regions=regions, defaults=defaults)
    failed = [p for p in problems if p.severity == "error"]
    if failed and errors == "raise":
        raise EventFileError(problems)
    for problem in problems:
        if problem.severity == "warning" or errors == "warn":
            warnings.warn(str(problem), stacklevel=2)
    return gdf


def _empty() -> Any:
    import geopandas as gpd
    import pandas as pd

    from geoevents.events.model import COLUMNS

    return gpd.GeoDataFrame(pd.DataFrame(columns=list(COLUMNS)), geometry=[], crs="EPSG:4326")
