"""`geoevents map` and `geoevents build`: real seed files in, files out, clear errors, maps/ current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_support import write_control_geojson
from geoevents.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
MAPS = REPO / "maps"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.yaml"))


@pytest.fixture(scope="module")
def seed() -> Path:
    files = seed_files()
    assert files, "seeds/*.yaml are part of the repository"
    return files[0]


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def page_title(page: str) -> str:
    """The <title> as a browser shows it; the raw element text holds no markup."""
    import html

    (raw,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert "<" not in raw and ">" not in raw, raw
    return html.unescape(raw)


def test_title_with_markup_is_escaped(seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    assert run("map", str(seed), "-o", str(out), "--title", "<b>Kursk</b> & co").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>&lt;b&gt;Kursk&lt;/b&gt; &amp; co</title>" in page
    assert page_title(page) == "<b>Kursk</b> & co" and data_block(page)["title"] == "<b>Kursk</b> & co"
    assert "<b>Kursk</b>" not in page


def data_block(page: str) -> dict:
    return json.loads(re.search(r'id="geoevents-data">(.*?)</script>', page, re.S).group(1))


def test_map_writes_one_offline_page_titled_from_the_seed(seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "kursk.html"
    out.parent.mkdir()  # a missing output folder is an error (tests/test_output_guard.py)
    result = run("map", str(seed), "-o", str(out), "--subtitle", "Test <sub>")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page_title(page) == "Ukraine's Kursk incursion six months on"  # the seed's title
    data = data_block(page)
    assert data["subtitle"] == "Test <sub>" and "Test <sub>" not in page
    assert len(data["events"]["lat"]) >= 10
    assert {r["code"] for r in data["regions"]} >= {"RU-KRS"}
    assert any(a["symbol"] and "area symbol, not a frontline" in a["label"] for a in data["areas"])
    assert not re.search(r"<script[^>]*\bsrc=", page)


def test_cdn_option_and_png(seed: Path, tmp_path: Path) -> None:
    out, inline = tmp_path / "kursk.html", tmp_path / "inline.html"
    result = run("map", str(seed), "-o", str(out), "--cdn", "--png")
    assert result.exit_code == 0, result.output
    assert run("map", str(seed), "-o", str(inline)).exit_code == 0
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"' in out.read_text(encoding="utf-8")
    assert out.stat().st_size < inline.stat().st_size - 150_000  # Leaflet is linked, not inlined
    png = out.with_suffix(".png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_control_option_adds_dated_layers(seed: Path, tmp_path: Path) -> None:
    control = write_control_geojson(tmp_path / "control.geojson")
    out = tmp_path / "with-control.html"
    result = run("map", str(seed), "--control", str(control), "-o", str(out))
    assert result.exit_code == 0, result.output
    layers = data_block(out.read_text(encoding="utf-8"))["control"]
    assert [c["date"] for c in layers] == ["2024-08-10", "2024-08-20", "2024-09-01"]
    assert layers[1]["gained_km2"] > 1000


def test_bad_event_file_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: X\npublished: 2025-02-07\nevents:\n  - id: a\n    date: 2025-02-01\n"
                   "    place: Sudzha\n    kind: not-a-kind\n    claimant: X\n    claim: y\n    status: reported\n",
                   encoding="utf-8")
    out = tmp_path / "bad.html"
    result = CliRunner().invoke(main, ["map", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad.yaml" in result.output and "kind" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_bad_control_layer_fails_clearly(seed: Path, tmp_path: Path) -> None:
    control = tmp_path / "control.geojson"
    control.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["map", str(seed), "--control", str(control), "-o", str(out)])
    assert result.exit_code == 1 and "control.geojson" in result.output
    assert not out.exists()


@pytest.mark.slow
def test_committed_maps_are_current_and_rebuilds_are_identical(seed: Path, tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "-o", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (tmp_path / "a").glob("*.html"))
    assert built == sorted(f"{p.stem}.html" for p in seed_files())
    run("build", str(SEEDS), "-o", str(tmp_path / "b"))
    for name in built:
        fresh = (tmp_path / "a" / name).read_bytes()
        assert fresh == (tmp_path / "b" / name).read_bytes(), f"{name}: two builds differ"
        committed = MAPS / name
        assert committed.is_file(), f"maps/{name} is missing: run `geoevents build seeds/`"
        assert committed.read_bytes() == fresh, f"maps/{name} is stale: run `geoevents build seeds/`"


def test_several_event_files_make_one_map(seed: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    assert run("map", str(seed), "-o", str(one)).exit_code == 0
    assert run("map", str(seed), str(seed), "-o", str(two), "--title", "Both").exit_code == 0
    single, double = (data_block(p.read_text(encoding="utf-8")) for p in (one, two))
    assert len(double["events"]["lat"]) == 2 * len(single["events"]["lat"])
    assert double["title"] == "Both"
