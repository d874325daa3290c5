"""The shipped GeoPackage (data/boundaries/boundaries.gpkg): what GDAL sees in it, that
the loaded layers are exactly the former npz layers, the derived per-user cache, and
the deterministic writer the recipe's output step uses."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely

from geoevents.paths import REPO_DIR
from geoevents.recipes import boundaries as recipe
from geoevents.regions import layer_cache, shipped
from geoevents.regions.boundaries import BoundariesError, land_borders, read_boundaries, shipped_path

DATA = REPO_DIR / "data" / "boundaries"

# The layers as read_boundaries()/land_borders() returned them from admin0.npz,
# admin1.npz and land_borders.npz just before those files were replaced by the
# GeoPackage: row count, sha256 of the geometries' WKB (little-endian, 2D, in row
# order) and sha256 of the former columns' values (JSON, sorted keys).
FORMER_NPZ = {
    "admin0": (239, "021e9f480f80e61a7a174b3b6d3ff3d006be34cfffa2eeedce096a1bd477934b",
               "9327ab82204be27a0b0b629e26f711b10c8ce1b227b79422f78c29e5c1241d6a",
               ["country_code", "country_name"]),
    "admin1": (3342, "8cc295d80b8553d8d10f29d346353deb0a42a0f5f09f958d665565004b76732d",
               "4ac51f2bbd82b46988cb24a1a44014547abe159abbebfa835dddf83d1ebf5508",
               ["admin1_code", "admin1_name", "aliases", "country_code", "geonames_admin1",
                "local_names", "outline_source"]),
    "land_borders": (321, "3288d2ec5f9beb214c9df23c93a26c5e8ea8295e6e09f67780ad135cb7e1a591",
                     "30b8366eb0b8f738dc7e430ec0a064ea6e4365c96ed7254af44a959230d8c8b9", ["a", "b"]),
}

FIELDS = {
    "admin0": {"country_code": "OFTString", "country_name": "OFTString", "area_km2": "OFTReal"},
    "admin1": {"admin1_code": "OFTString", "admin1_name": "OFTString", "country_code": "OFTString",
               "country_name": "OFTString", "geonames_admin1": "OFTString", "local_names": "OFTString",
               "aliases": "OFTString", "outline_source": "OFTString", "area_km2": "OFTReal",
               "official_area_km2": "OFTReal", "official_area_source": "OFTString"},
    "land_borders": {"country_a": "OFTString", "country_b": "OFTString", "country_a_name": "OFTString",
                     "country_b_name": "OFTString", "length_km": "OFTReal"},
}


def geometry_digest(geometries) -> str:
    digest = hashlib.sha256()
    for wkb in shapely.to_wkb(np.asarray(geometries, dtype=object), byte_order=1, output_dimension=2):
        digest.update(wkb)
    return digest.hexdigest()


def records_digest(frame, columns: list[str]) -> str:
    rows = [{c: (list(v) if isinstance(v, (list, np.ndarray)) else v) for c, v in zip(columns, row)}
            for row in frame[columns].itertuples(index=False)]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def same_layer(a: tuple, b: tuple) -> None:
    """Two (geometries, records) pairs are equal, geometry by geometry and value by value."""
    assert len(a[0]) == len(b[0])
    assert list(shapely.to_wkb(a[0])) == list(shapely.to_wkb(b[0]))
    assert a[1] == b[1]


@pytest.mark.parametrize("layer", sorted(FORMER_NPZ))
def test_layers_equal_the_former_npz_layers(layer):
    frame = land_borders() if layer == "land_borders" else read_boundaries(layer)
    count, geometries, values, columns = FORMER_NPZ[layer]
    assert len(frame) == count
    assert geometry_digest(frame.geometry.array) == geometries
    assert records_digest(frame, columns) == values
    assert frame.crs.to_epsg() == 4326


def test_gdal_sees_three_layers_with_crs_counts_and_typed_fields():
    path = shipped_path()
    assert path == DATA / "boundaries.gpkg"
    assert [list(row) for row in pyogrio.list_layers(path)] == [
        ["admin0", "MultiPolygon"], ["admin1", "MultiPolygon"], ["land_borders", "MultiLineString"]]
    for layer, fields in FIELDS.items():
        info = pyogrio.read_info(path, layer=layer)
        assert info["crs"] == "EPSG:4326"
        assert info["features"] == FORMER_NPZ[layer][0]
        assert dict(zip(info["fields"], info["ogr_types"])) == fields
        assert list(info["fields"]) == list(fields)  # reading order, not alphabetical
        # list columns are JSON text that GDAL recognises as such
        subtypes = dict(zip(info["fields"], info["ogr_subtypes"]))
        assert {f for f, s in subtypes.items() if s == "OFSTJSON"} == (
            {"local_names", "aliases"} if layer == "admin1" else set())


@pytest.mark.parametrize("layer", shipped.LAYERS)
def test_geometries_are_valid_and_present(layer):
    _, _, wkb, _ = pyogrio.raw.read(shipped_path(), layer=layer, columns=[])
    geometries = shapely.from_wkb(wkb)
    assert not shapely.is_missing(geometries).any() and not shapely.is_empty(geometries).any()
    assert shapely.is_valid(geometries).all()


def test_every_column_is_described_in_the_file_and_the_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    with contextlib.closing(sqlite3.connect(f"file:{shipped_path()}?mode=ro", uri=True)) as db:
        described = {(t, c): (name, title, text) for t, c, name, title, text in
                     db.execute("SELECT table_name, column_name, name, title, description FROM gpkg_data_columns")}
        contents = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
    for layer, fields in FIELDS.items():
        assert "Natural Earth" in contents[layer]
        assert f"`{layer}`" in readme
        for field in fields:
            name, title, text = described[(layer, field)]
            assert name == title and len(text) > 20, (layer, field)
            assert f"`{field}`" in readme, f"README does not explain {layer}.{field}"
    for attribution in ("Natural Earth", "public domain", "GeoNames", "CC BY 4.0", "EPSG:4326", "QGIS"):
        assert attribution in readme
    licence = (DATA / "LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence and "public domain" in licence


def test_official_area_only_where_known():
    regions = read_boundaries("admin1").set_index("admin1_code")
    known = recipe.official_areas()
    with_figure = regions[regions["official_area_km2"].notna()]
    assert set(with_figure.index) == set(known)
    for code, (area, source) in known.items():
        assert with_figure.loc[code, "official_area_km2"] == area
        assert with_figure.loc[code, "official_area_source"] == source
    kharkiv = regions.loc["UA-63"]
    assert kharkiv["country_name"] == "Ukraine"
    assert abs(kharkiv["area_km2"] / kharkiv["official_area_km2"] - 1) < 0.03


def test_missing_geopackage_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOEVENTS_BOUNDARIES_DIR", str(tmp_path))
    with pytest.raises(BoundariesError, match=r"boundaries\.gpkg is missing"):
        shipped_path()


def test_cache_holds_what_gdal_reads_and_is_reused(tmp_path):
    source = shipped_path()
    cached = layer_cache.load_layer(source, "admin1", root=tmp_path)
    same_layer(cached, shipped.read_layer(source, "admin1"))
    entry = layer_cache.entry_dir(source, tmp_path)
    assert entry.parent == tmp_path / "boundaries"
    stored = entry / "admin1.npz"
    built = stored.stat().st_mtime_ns
    same_layer(layer_cache.load_layer(source, "admin1", root=tmp_path), cached)
    assert stored.stat().st_mtime_ns == built  # read, not rebuilt


def small_layers(name: str) -> dict[str, gpd.GeoDataFrame]:
    frame = gpd.GeoDataFrame(
        {"country_a": ["AA", "BB"], "country_b": ["CC", "DD"], "country_a_name": [name, "B"],
         "country_b_name": ["C", "D"], "length_km": [1.5, None]},
        geometry=[shapely.MultiLineString([[(0, 0), (1, 1)]]), shapely.MultiLineString([[(2, 2), (3, 2.5)]])],
        crs="EPSG:4326")
    return {"land_borders": frame}


def write_small(path: Path, name: str) -> None:
    shipped.write_geopackage(path, small_layers(name), date="2026-01-02T03:04:05.000Z",
                             descriptions={"land_borders": "test"},
                             columns={"land_borders": recipe.column_descriptions()["land_borders"]})


def test_cache_follows_the_file_and_drops_stale_entries(tmp_path):
    source = tmp_path / "boundaries.gpkg"
    write_small(source, "First")
    _, records = layer_cache.load_layer(source, "land_borders", root=tmp_path / "cache")
    assert records[0]["country_a_name"] == "First" and records[0]["a"] == "AA"
    assert records[1]["length_km"] is None
    old_entry = layer_cache.entry_dir(source, tmp_path / "cache")

    write_small(source, "Second")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    _, records = layer_cache.load_layer(source, "land_borders", root=tmp_path / "cache")
    assert records[0]["country_a_name"] == "Second"
    assert not old_entry.exists()


def test_damaged_cache_entry_is_rebuilt(tmp_path):
    source = tmp_path / "boundaries.gpkg"
    write_small(source, "First")
    expected = shipped.read_layer(source, "land_borders")
    layer_cache.load_layer(source, "land_borders", root=tmp_path / "cache")
    stored = layer_cache.entry_dir(source, tmp_path / "cache") / "land_borders.npz"
    stored.write_bytes(stored.read_bytes()[:100])
    same_layer(layer_cache.load_layer(source, "land_borders", root=tmp_path / "cache"), expected)
    same_layer(layer_cache.load_layer(source, "land_borders", root=tmp_path / "cache"), expected)


def test_unwritable_cache_dir_falls_back_to_the_geopackage(tmp_path):
    source = tmp_path / "boundaries.gpkg"
    write_small(source, "First")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    same_layer(layer_cache.load_layer(source, "land_borders", root=blocker),
               shipped.read_layer(source, "land_borders"))


def test_writer_is_deterministic_and_refuses_undescribed_columns(tmp_path):
    write_small(tmp_path / "a.gpkg", "First")
    write_small(tmp_path / "b.gpkg", "First")
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()
    with contextlib.closing(sqlite3.connect(tmp_path / "a.gpkg")) as db:
        assert db.execute("SELECT last_change FROM gpkg_contents").fetchone()[0] == "2026-01-02T03:04:05.000Z"
    layers = small_layers("First")
    layers["land_borders"]["unexplained"] = 1
    with pytest.raises(ValueError, match="unexplained"):
        shipped.write_geopackage(tmp_path / "c.gpkg", layers, date="2026-01-02T03:04:05.000Z",
                                 descriptions={}, columns={"land_borders": {}})
    assert not (tmp_path / "c.gpkg").exists()


@pytest.mark.slow
def test_output_step_rewrites_the_shipped_layers(tmp_path):
    """The recipe's output step, fed the shipped layers, writes them back unchanged
    (geometry by geometry, value by value, derived columns included)."""
    pairs = [shipped.read_layer(shipped_path(), layer) for layer in shipped.LAYERS]
    target = recipe.write_outputs(tmp_path, recipe.layer_frames(*pairs))
    for layer, pair in zip(shipped.LAYERS, pairs):
        same_layer(shipped.read_layer(target, layer), pair)
        assert pyogrio.read_info(target, layer=layer)["fields"].tolist() == list(FIELDS[layer])
