"""`geoevents validate` and `geoevents export` through the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "kursk-2025-02-07.yaml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-c", "from geoevents.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_validate_clean_seed_exits_zero():
    result = run("validate", str(SEED))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 24 events, 0 errors" in result.stdout


def test_validate_reports_every_problem_and_exits_one(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("""\
source: Test Outlet
published: 2025-02-07
events:
  - id: a
    date: 2025-03-01
    place: Kursk Oblast
    claimant: X
    status: reported
  - id: a
    date: 2024-08-06
    place: Springfield
    figure: 5
    status: reported
""", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for needle in (f"{path}:5:date: error: date 2025-03-01 is after publication",
                   f"{path}:9:id: error: duplicate id 'a'",
                   f"{path}:11:place: error: ambiguous place 'Springfield'",
                   f"{path}:9:claimant: error: missing claimant",
                   f"{path}:9:figure_unit: error: figure 5 has no unit"):
        assert any(line.startswith(needle) for line in lines), (needle, result.stdout)
    (report,) = json.loads(run("validate", str(path), "--format", "json").stdout)
    assert report["errors"] == 5 and report["events"] == 2
    ambiguous = next(p for p in report["problems"] if p["field"] == "place")
    assert ambiguous["line"] == 11 and len(ambiguous["candidates"]) >= 2
    assert {"file", "line", "field", "severity", "message", "event_id"} <= set(ambiguous)


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_export_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"kursk{suffix}"
    result = run("export", str(SEED), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "wrote 24 events" in result.stdout
    import pyogrio
    import yaml
    kwargs = {"X_POSSIBLE_NAMES": "longitude", "Y_POSSIBLE_NAMES": "latitude"} if suffix == ".csv" else {}
    written = pyogrio.read_dataframe(out, **kwargs)
    seed_ids = [event["id"] for event in yaml.safe_load(SEED.read_text(encoding="utf-8"))["events"]]
    assert written["id"].tolist() == seed_ids
    kyiv = written[written["place"] == "Kyiv"].geometry.iloc[0]
    assert abs(kyiv.x - 30.52) < 0.05 and abs(kyiv.y - 50.45) < 0.05  # lon, lat in every format


def test_export_refuses_bad_input_and_the_input_itself(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("published: 2025-02-07\nevents:\n  - {id: a, date: 2024-02-30, "
                   "place: Kursk Oblast, claimant: X}\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    result = run("export", str(bad), "-o", str(out))
    assert result.returncode == 1 and f"{bad}:3:date" in result.stderr
    assert not out.exists()
    geojson = tmp_path / "seed.geojson"
    assert run("export", str(SEED), "-o", str(geojson)).returncode == 0
    before = geojson.read_bytes()
    result = run("export", str(geojson), "-o", str(geojson))
    assert result.returncode == 2 and "refusing to overwrite the input" in result.stderr
    assert geojson.read_bytes() == before


def test_set_fills_fields_a_table_lacks(deepstate_dir, tmp_path):
    snapshot = sorted(deepstate_dir.glob("deepstatemap_data_*.geojson"))[0]
    assert run("validate", str(snapshot)).returncode == 1
    settings = ["--set", "claimant=DeepStateMap", "--set", "date=2024-07-08",
                "--set", "kind=control", "--set", "status=claimed"]
    result = run("validate", str(snapshot), *settings)
    assert result.returncode == 0, result.stdout
    out = tmp_path / "snapshot.gpkg"
    assert run("export", str(snapshot), "-o", str(out), *settings).returncode == 0
    import pyogrio
    frame = pyogrio.read_dataframe(out)
    assert frame["claimant"].tolist() == ["DeepStateMap"] and frame.geometry.is_valid.all()
    bad = run("validate", str(snapshot), "--set", "colour=red")
    assert bad.returncode == 2 and "unknown field 'colour'" in bad.stderr


WARNINGS_ONLY = """\
published: 2025-02-07
events:
  - {id: a, date: 2024-08-06, place: Kursk Oblast, claimant: X, status: reported}
"""


def test_validate_strict_fails_on_warnings_alone(tmp_path):
    path = tmp_path / "no-source.yaml"
    path.write_text(WARNINGS_ONLY, encoding="utf-8")
    plain = run("validate", str(path))
    assert plain.returncode == 0, plain.stdout
    assert f"{path}:3:source: warning: no source (outlet) given" in plain.stdout
    assert f"{path}: OK: 1 events, 0 errors, 1 warnings" in plain.stdout
    strict = run("validate", str(path), "--strict")
    assert strict.returncode == 1 and strict.stdout == plain.stdout  # same report, stricter verdict
    as_json = run("validate", str(path), "--strict", "--format", "json")
    assert as_json.returncode == 1
    (report,) = json.loads(as_json.stdout)
    assert (report["errors"], report["warnings"]) == (0, 1)
    clean = run("validate", str(SEED), "--strict")
    assert clean.returncode == 0 and "0 errors, 0 warnings" in clean.stdout


def test_validate_reports_unknown_keys_in_header_and_events(tmp_path):
    path = tmp_path / "typos.yaml"
    path.write_text("sourse: Test Outlet\npublished: 2025-02-07\nevents:\n"
                    "  - {id: a, date: 2024-08-06, place: Kursk Oblast, claimant: X, status: reported,"
                    " figures: 3}\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{path}:1:sourse: error: unknown key 'sourse'; did you mean 'source'?" in lines
    assert f"{path}:4:figures: error: unknown key 'figures'; did you mean 'figure'?" in lines
    out = tmp_path / "out.geojson"
    refused = run("export", str(path), "-o", str(out))
    assert refused.returncode == 1 and f"{path}:1:sourse: error" in refused.stderr and not out.exists()
