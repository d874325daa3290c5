"""A control layer's name, source and credit: from the caller, layer.yaml, the GeoJSON, or its name."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from geoevents.cli import main
from geoevents.territory.layer_meta import LayerMeta, load_control, read_layer_meta
from story_support import LAYER, story_events, write_control_folder


def geojson(path: Path, **members) -> Path:
    ring = [[35.0, 51.1], [35.4, 51.1], [35.4, 51.4], [35.0, 51.4], [35.0, 51.1]]
    feature = {"type": "Feature", "properties": {"date": "2024-08-10"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": [feature]}), encoding="utf-8")
    return path


def test_layer_yaml_in_the_folder_names_and_credits_the_layer(tmp_path: Path) -> None:
    folder = write_control_folder(tmp_path / "front")
    assert read_layer_meta(folder) == LayerMeta(**LAYER)
    # what the caller gives wins, field by field
    meta = read_layer_meta(None, name="My name", source="https://example.net/x").merged(read_layer_meta(folder))
    assert meta == LayerMeta("My name", "https://example.net/x", "https://example.net/x", LAYER["credit"])


def test_geojson_members_name_the_layer_but_gdals_layer_id_does_not(tmp_path: Path) -> None:
    titled = geojson(tmp_path / "front_20240810.geojson", title="Front line", attribution="© Someone",
                     source="Someone's map", source_url="javascript:alert(1)")
    assert read_layer_meta(titled) == LayerMeta("Front line", "Someone's map", None, "© Someone")
    gdal = geojson(tmp_path / "deepstatemap_data_20240810.geojson", name="deepstatemap_data_20240810",
                   license="GPL-3.0")
    meta = read_layer_meta(gdal)
    assert meta.name == "deepstatemap_data_20240810" == meta.source  # the file name, as before
    assert meta.credit == "GPL-3.0"
    folder = tmp_path / "dsm"
    folder.mkdir()
    geojson(folder / "deepstatemap_data_20240810.geojson", name="deepstatemap_data_20240810")
    assert read_layer_meta(folder) == LayerMeta("dsm", "dsm", None, None)  # the folder's name


def test_the_layer_source_names_rows_without_their_own(tmp_path: Path) -> None:
    control, meta = load_control(write_control_folder(tmp_path / "front"))
    assert set(control["source"]) == {"Example Institute"} and meta.name == "Test front line"
    control, meta = load_control(tmp_path / "front", {"name": "Given", "source": None, "credit": None})
    assert meta.name == "Given" and meta.credit == LAYER["credit"]


def test_cli_options_and_a_broken_layer_yaml(tmp_path: Path) -> None:
    events = tmp_path / "events.geojson"
    frame = story_events()
    frame.to_file(events, driver="GeoJSON")
    folder = write_control_folder(tmp_path / "front")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(events), "--control", str(folder), "--control-name", "Named here",
                                       "--control-credit", "Credit here", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '"controlMeta":{"name":"Named here","source":"Example Institute"' in page
    assert '"credit":"Credit here"' in page
    (folder / "layer.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    broken = tmp_path / "broken.html"
    result = CliRunner().invoke(main, ["map", str(events), "--control", str(folder), "-o", str(broken)])
    assert result.exit_code == 1 and f"{folder / 'layer.yaml'}: cannot read" in result.output
    assert "Traceback" not in result.output and not broken.exists()
    lonely = CliRunner().invoke(main, ["map", str(events), "--control-name", "x", "-o", str(broken)])
    assert lonely.exit_code == 2 and "--control" in lonely.output and not broken.exists()
