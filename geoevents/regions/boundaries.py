"""Read the administrative boundaries shipped in data/boundaries/boundaries.gpkg.

The layers are built by `python -m geoevents.recipes.boundaries` (see
docs/regions.md); at run time only that GeoPackage is read, through a derived
per-user cache that loads faster (geoevents.regions.layer_cache). Loaded layers
are also kept per process because attaching regions, `locate` and border
distances all reuse them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoevents.paths import boundaries_dir
from geoevents.regions.layer_cache import load_layer
from geoevents.regions.shipped import FILE_NAME

LEVELS = ("admin0", "admin1")


class BoundariesError(ValueError):
    """The shipped boundary files are missing or a request cannot be met."""


def shipped_path() -> Path:
    """The shipped GeoPackage (data/boundaries/boundaries.gpkg, or its copy in a wheel)."""
    path = boundaries_dir() / FILE_NAME
    if not path.is_file():
        raise BoundariesError(
            f"boundaries file {path} is missing; rebuild it with `python -m geoevents.recipes.boundaries`"
        )
    return path


@lru_cache(maxsize=4)
def _load(layer: str) -> gpd.GeoDataFrame:
    geometries, records = load_layer(shipped_path(), layer)
    frame = pd.DataFrame.from_records(records)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def read_boundaries(level: str = "admin1", countries: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Admin-0 (countries) or admin-1 (first-level regions) polygons, WGS84.

    admin1 columns: admin1_code (ISO 3166-2), geonames_admin1, admin1_name,
    local_names, aliases, country_code, country_name, outline_source ("lines", or
    "places" where some edges are an approximate split between GeoNames places),
    area_km2 (geodesic), official_area_km2 (where known, else NaN), geometry.
    admin0 columns: country_code, country_name, area_km2, geometry. `countries`
    filters by ISO alpha-2 code. A copy is returned, so callers may modify it freely."""
    if level not in LEVELS:
        raise BoundariesError(f"unknown boundary level {level!r}; use 'admin0' or 'admin1'")
    frame = _load(level)
    if countries is not None:
        if isinstance(countries, str):
            countries = [countries]
        wanted = {c.strip().upper() for c in countries}
        frame = frame[np.isin(frame["country_code"].to_numpy(), list(wanted))]
    return frame.reset_index(drop=True).copy()


@lru_cache(maxsize=1)
def land_borders() -> gpd.GeoDataFrame:
    """International land borders: one MultiLineString per neighbouring pair (a, b:
    ISO alpha-2 codes; the file calls them country_a, country_b), with length_km."""
    return _load("land_borders")
