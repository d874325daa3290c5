"""geoevents: map reported conflict events, offline by default.

The public API is imported lazily (PEP 562) so that `import geoevents` stays
cheap: the command line's cold start must not pay for geopandas or folium.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_PUBLIC: dict[str, str] = {
    "Gazetteer": "geoevents.places.gazetteer",
    "geocode": "geoevents.places.gazetteer",
    "GazetteerGeocoder": "geoevents.places.geopy_geocoder",
    "OnlineGeocoder": "geoevents.places.online",
    "attach_regions": "geoevents.regions.attach",
    "read_boundaries": "geoevents.regions.boundaries",
    "read_events": "geoevents.events.read",
    "write_events": "geoevents.io.write",
    "read_control": "geoevents.territory.control",
    "diff_control": "geoevents.territory.diff",
    "timeline": "geoevents.territory.timeline",
    "check_claims": "geoevents.territory.claims",
    "make_map": "geoevents.maps.html",
    "extract": "geoevents.extract.pipeline",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module_name = _PUBLIC.get(name)
    if module_name is None:
        raise AttributeError(f"module 'geoevents' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
