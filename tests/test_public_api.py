"""The names `geoevents` promises resolve, lazily, to the objects that do the work."""

from __future__ import annotations

import subprocess
import sys

import pytest

import geoevents


# The promised API, written out here (not read from geoevents._PUBLIC): each name, the
# module that defines it, and whether it is a class or a function.
PROMISED = {
    "Gazetteer": ("geoevents.places.gazetteer", "class"),
    "geocode": ("geoevents.places.gazetteer", "function"),
    "GazetteerGeocoder": ("geoevents.places.geopy_geocoder", "class"),
    "OnlineGeocoder": ("geoevents.places.online", "class"),
    "attach_regions": ("geoevents.regions.attach", "function"),
    "read_boundaries": ("geoevents.regions.boundaries", "function"),
    "read_events": ("geoevents.events.read", "function"),
    "write_events": ("geoevents.io.write", "function"),
    "read_control": ("geoevents.territory.control", "function"),
    "diff_control": ("geoevents.territory.diff", "function"),
    "timeline": ("geoevents.territory.timeline", "function"),
    "check_claims": ("geoevents.territory.claims", "function"),
    "make_map": ("geoevents.maps.html", "function"),
    "extract": ("geoevents.extract.pipeline", "function"),
}


def test_all_lists_exactly_the_promised_names() -> None:
    assert geoevents.__all__ == sorted(PROMISED)
    assert set(PROMISED) <= set(dir(geoevents))


@pytest.mark.parametrize("name", sorted(PROMISED))
def test_every_public_name_resolves(name: str) -> None:
    import importlib
    import inspect

    module, kind = PROMISED[name]
    value = getattr(geoevents, name)
    if name == "extract" and inspect.ismodule(value):
        # once geoevents.extract.* is imported, the attribute is the subpackage, made callable
        # on purpose (geoevents/extract/__init__.py): it must forward to the function
        result = value("Sirens sounded in Kyiv.", published="2025-02-07")
        assert [m["name"] for m in result.mention_dicts()] == ["Kyiv"]
        value = importlib.import_module(module).extract
    assert value is getattr(importlib.import_module(module), name)
    assert value.__module__ == module  # defined there, not re-exported from elsewhere
    assert (inspect.isclass(value) if kind == "class" else inspect.isfunction(value)), (name, kind)
    assert inspect.getdoc(value), f"{name} has no docstring"


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'read_evnets'"):
        geoevents.read_evnets  # noqa: B018 - the typo is the point


def test_import_stays_light() -> None:
    """`import geoevents` must not pull in geopandas or folium (CLI cold start)."""
    code = "import sys, geoevents; print(sorted(m for m in ('geopandas', 'folium', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
