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


def boundaries_dir() -> Path:
    """The folder holding the shipped administrative boundaries."""
    override = os.environ.get("GEOEVENTS_BOUNDARIES_DIR")
    if override:
        return Path(override)
    for candidate in (REPO_DIR / "data" / "boundaries", PACKAGE_DIR / "_data" / "boundaries"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "geoevents cannot find its boundaries folder (data/boundaries). Install from a "
        "checkout with `pip install -e .`, or set GEOEVENTS_BOUNDARIES_DIR."
    )


def gazetteer_dir() -> Path:
    """The folder holding the shipped settlement tables (data/gazetteer, built by
    `python -m geoevents.recipes.gazetteer`)."""
    override = os.environ.get("GEOEVENTS_GAZETTEER_DIR")
    if override:
        return Path(override)
    for candidate in (REPO_DIR / "data" / "gazetteer", PACKAGE_DIR / "_data" / "gazetteer"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "geoevents cannot find its gazetteer folder (data/gazetteer). Install from a "
        "checkout with `pip install -e .`, or set GEOEVENTS_GAZETTEER_DIR."
    )


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
