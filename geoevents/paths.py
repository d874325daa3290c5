"""Where geoevents finds its shipped data and keeps its cache.

One place for these rules so every module agrees: shipped data lives in the
repository's `data/` folder (editable installs and checkouts), overridable by
environment variables for tests and unusual deployments.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def _shipped_dir(folder: str) -> Path:
    """data/<folder> in a checkout, else geoevents/_data/<folder> in a wheel;
    GEOEVENTS_<FOLDER>_DIR overrides both."""
    variable = f"GEOEVENTS_{folder.upper()}_DIR"
    override = os.environ.get(variable)
    if override:
        return Path(override)
    for candidate in (REPO_DIR / "data" / folder, PACKAGE_DIR / "_data" / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"geoevents cannot find its {folder} folder (data/{folder}). Install from a "
        f"checkout with `pip install -e .`, or set {variable}."
    )


def boundaries_dir() -> Path:
    """The folder holding the shipped administrative boundaries."""
    return _shipped_dir("boundaries")


def gazetteer_dir() -> Path:
    """The folder holding the shipped settlement tables (data/gazetteer, built by
    `python -m geoevents.recipes.gazetteer`)."""
    return _shipped_dir("gazetteer")


def cache_dir() -> Path:
    """Folder for built indexes and online lookups; created on demand.

    GEOEVENTS_CACHE_DIR overrides the per-user default (tests point it at a
    temporary folder)."""
    override = os.environ.get("GEOEVENTS_CACHE_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("geoevents"))
    path.mkdir(parents=True, exist_ok=True)
    return path
