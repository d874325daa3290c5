"""Read the administrative boundaries shipped in data/boundaries/.

The layers are built by `python -m geoevents.recipes.boundaries` (see
docs/regions.md); at run time only the files in data/boundaries/ are read.
Loaded layers are cached per process because attaching regions, `locate` and
border distances all reuse them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoevents.paths import boundaries_dir
from geoevents.regions.storage import read_layer

LEVELS = {"admin0": "admin0.npz", "admin1": "admin1.npz"}


class BoundariesError(ValueError):
    """The shipped boundary files are missing or a request cannot be met."""


def _layer_path(name: str) -> Path:
    path = boundaries_dir() / name
    if not path.is_file():
        raise BoundariesError(
            f"boundary layer {path} is missing; rebuild it with `python -m geoevents.recipes.boundaries`"
        )
    return path


@lru_cache(maxsize=4)
def _load(name: str) -> gpd.GeoDataFrame:
    geometries, records = read_layer(_layer_path(name))
    frame = pd.DataFrame.from_records(records)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def read_boundaries(level: str = "admin1", countries: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Admin-0 (countries) or admin-1 (first-level regions) polygons, WGS84.

    admin1 columns: admin1_code (ISO 3166-2), geonames_admin1, admin1_name,
    local_names, aliases, country_code, outline_source ("lines", or "places" where
    some edges are an approximate split between GeoNames places), geometry.
    admin0 columns: country_code,
    country_name, geometry. `countries` filters by ISO alpha-2 code. A copy is
    returned, so callers may modify it freely."""
    if level not in LEVELS:
        raise BoundariesError(f"unknown boundary level {level!r}; use 'admin0' or 'admin1'")
    frame = _load(LEVELS[level])
    if countries is not None:
        if isinstance(countries, str):
            countries = [countries]
        wanted = {c.strip().upper() for c in countries}
        frame = frame[np.isin(frame["country_code"].to_numpy(), list(wanted))]
    return frame.reset_index(drop=True).copy()


@lru_cache(maxsize=1)
def land_borders() -> gpd.GeoDataFrame:
    """International land borders: one MultiLineString per neighbouring pair (a, b)."""
    return _load("land_borders.npz")
