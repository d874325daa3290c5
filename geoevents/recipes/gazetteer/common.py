"""Helpers shared by the gazetteer recipe modules: region table, name keys, distances."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
FRONT_LINE = ("UA-14", "UA-09", "UA-63", "UA-59", "UA-12", "UA-23", "UA-65", "UA-43")
_APOSTROPHES = re.compile(r"[’ʼ`´‘']")
_SPACES = re.compile(r"[\s\-‐–—]+")


def data_file(name: str) -> str:
    """Text of a data file kept beside the recipe code."""
    return resources.files("geoevents.recipes.gazetteer").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def regions() -> tuple[dict[str, str], ...]:
    """Rows of regions.csv: ISO 3166-2 code, KATOTTG oblast name, registry region name,
    GeoNames admin1 code, GeoNames postal admin1 code (Kyiv city and oblast swapped there)."""
    return tuple(csv.DictReader(data_file("regions.csv").splitlines()))


def apostrophe(text: str) -> str:
    """NFC, trimmed, with every apostrophe-like mark written as ' (as the codifier mostly does)."""
    return _APOSTROPHES.sub("'", unicodedata.normalize("NFC", str(text)).strip())


def key(name: str) -> str:
    """Comparison key of a Cyrillic name: lower case, ё as е, one apostrophe, hyphens as spaces."""
    return _SPACES.sub(" ", apostrophe(name).lower().replace("ё", "е")).strip()


def geodesic_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Geodesic distance in km between arrays (or scalars) of points (WGS84)."""
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2)))
    _, _, metres = GEOD.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    return np.asarray(metres, dtype=float).reshape(lat1.shape) / 1000.0


def quantile(values, q: float) -> float:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    return float(np.percentile(values, q)) if len(values) else float("nan")
