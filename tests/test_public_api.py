"""The names `geoevents` promises resolve, lazily, to the objects that do the work."""

from __future__ import annotations

import subprocess
import sys

import pytest

import geoevents


@pytest.mark.parametrize("name", geoevents.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert callable(getattr(geoevents, name)), name


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'read_evnets'"):
        geoevents.read_evnets  # noqa: B018 - the typo is the point


def test_import_stays_light() -> None:
    """`import geoevents` must not pull in geopandas or folium (CLI cold start)."""
    code = "import sys, geoevents; print(sorted(m for m in ('geopandas', 'folium', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
