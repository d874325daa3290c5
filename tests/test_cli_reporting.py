"""Long steps say what they do; Python warnings are one clean line, in every verb."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cachefiles import build_once, exclusive_lock
from geoevents.cli import announced_builds, main
from geoevents.cli import progress as progress_module

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "kursk-2025-02-07.yaml"
GEOEVENTS = str(Path(sys.executable).with_name("geoevents"))
INDEX_LINE = "building the offline gazetteer index (first run only"


def gap_folder(folder: Path, days=("20240101", "20240102", "20240105")) -> Path:
    """RU-held boxes on three dates, 2024-01-03 and -04 missing."""
    folder.mkdir()
    for i, day in enumerate(days):
        gpd.GeoDataFrame(geometry=[shapely.box(35.0, 51.1, 35.3 + 0.05 * i, 51.4)], crs=4326).to_file(
            folder / f"front_{day}.geojson", driver="GeoJSON")
    return folder


def assert_one_clean_line(stderr: str, needle: str) -> None:
    lines = [line for line in stderr.splitlines() if needle in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("warning: "), stderr
    for noise in ("Warning:", ".py:", "warnings.warn", "MissingDatesWarning", "Traceback"):
        assert noise not in stderr, stderr


# --- warnings --------------------------------------------------------------------------------

def test_missing_dates_warning_is_one_line_in_a_real_process(tmp_path):
    folder = gap_folder(tmp_path / "front")
    proc = subprocess.run([GEOEVENTS, "timeline", str(folder), "--format", "json"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_one_clean_line(proc.stderr, "snapshot(s) missing")
    assert "2 snapshot(s) missing: 2024-01-03..2024-01-04" in proc.stderr
    json.loads(proc.stdout)  # stdout holds the JSON only


@pytest.mark.parametrize("verb", ["diff", "timeline", "check-claims", "map"])
def test_missing_dates_warning_is_one_line_in_every_territory_verb(tmp_path, verb):
    folder = gap_folder(tmp_path / "front")
    args = {
        "diff": ["diff", folder, "--from", "2024-01-01", "--to", "2024-01-05"],
        "timeline": ["timeline", folder],
        "check-claims": ["check-claims", SEED, "--control", folder],
        "map": ["map", SEED, "--control", folder, "-o", tmp_path / "m.html"],
    }[verb]
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_one_clean_line(result.stderr, "snapshot(s) missing")


def test_a_located_warning_is_printed_as_it_is(tmp_path):
    folder = tmp_path / "front"
    folder.mkdir()
    bowtie = shapely.Polygon([(30, 50), (31, 51), (31, 50), (30, 51), (30, 50)])
    for day in ("20240101", "20240102"):
        gpd.GeoDataFrame(geometry=[bowtie], crs=4326).to_file(folder / f"b_{day}.geojson", driver="GeoJSON")
    result = CliRunner().invoke(main, ["timeline", str(folder), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "repaired" in line]
    assert len(lines) == 2 and all(": warning: repaired 1 invalid geometry" in line for line in lines)
    assert not any(line.startswith("warning: ") for line in lines)  # no second "warning"


# --- progress ---------------------------------------------------------------------------------

def test_plain_progress_lines_go_to_stderr_never_into_json(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "EVERY_SECONDS", 0.0)  # "long": a line for every step
    folder = gap_folder(tmp_path / "front")
    result = CliRunner().invoke(main, ["timeline", str(folder), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "reading snapshots: 2/3" in result.stderr and "reading snapshots: 3/3 done" in result.stderr
    assert "measuring changes" in result.stderr
    record = json.loads(result.stdout)
    assert len(record["dates"]) == 3


def test_short_work_off_a_terminal_prints_no_progress(tmp_path):
    folder = gap_folder(tmp_path / "front")
    result = CliRunner().invoke(main, ["timeline", str(folder), "--format", "json"], catch_exceptions=False)
    assert "reading snapshots" not in result.stderr and "measuring" not in result.stderr


def pty_run(args: list[str], timeout: float = 180) -> tuple[int, str]:
    """Run a command with stdout and stderr on a pseudo-terminal; its exit status and all it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_map_with_a_control_folder_shows_progress_at_a_terminal(tmp_path):
    days = [f"202408{d:02d}" for d in range(1, 31)]
    folder = gap_folder(tmp_path / "front", days=days)
    status, drawn = pty_run([GEOEVENTS, "map", str(SEED), "--control", str(folder), "-o", str(tmp_path / "m.html")])
    assert status == 0, drawn
    assert "reading snapshots" in drawn
    assert "drawing the map: control changes between 30 snapshots" in drawn


# --- the first-run index build ------------------------------------------------------------------

def test_a_labelled_build_is_announced_with_its_progress(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "EVERY_SECONDS", 0.0)  # heartbeat at its floor, 1 s
    target = tmp_path / "entry"
    with announced_builds():
        build_once(tmp_path / ".lock", target.exists, lambda: (time.sleep(1.3), target.touch()),
                   label="a test cache (first run only)")
        build_once(tmp_path / ".lock", target.exists, target.touch, label="a test cache (first run only)")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "building a test cache (first run only)…"
    assert err[1].startswith("building a test cache (first run only): 1 s")
    assert err[-1].startswith("building a test cache (first run only): done in ")
    assert len([line for line in err if line.endswith("…")]) == 1  # the second call had nothing to build


def test_unlabelled_builds_stay_quiet(tmp_path, capsys):
    target = tmp_path / "entry"
    with announced_builds():
        build_once(tmp_path / ".lock", target.exists, target.touch)
    assert capsys.readouterr().err == ""


@pytest.fixture(scope="module")
def built_index() -> Path:
    """The gazetteer index of this test session (built here if no test has built it yet)."""
    from geoevents.places.index import load_index

    return load_index().folder


def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("Ukrainian forces entered Sudzha in Kursk Oblast on Tuesday, officials in Kyiv said.\n",
                    encoding="utf-8")
    return path


VERBS = {
    "build": lambda t: ["build", str(REPO / "seeds"), "-o", str(t / "maps")],
    "map": lambda t: ["map", str(SEED), "-o", str(t / "m.html")],
    "export": lambda t: ["export", str(SEED), "-o", str(t / "e.geojson")],
    "validate": lambda t: ["validate", str(SEED)],
    "extract": lambda t: ["extract", str(story(t)), "--published", "2025-02-07", "--source", "Test",
                          "-o", str(t / "draft.yaml")],
    "geocode": lambda t: ["geocode", "Kursk"],
    "locate": lambda t: ["locate", "Sudzha"],
    "check-claims": lambda t: ["check-claims", str(SEED), "--control", str(gap_folder(t / "front"))],
}


@pytest.mark.slow
@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_that_needs_the_index_announces_its_build(verb, built_index, tmp_path):
    """A fresh cache: the verb says it builds the index; this test holds the build lock (as a
    concurrent first run would), then puts a finished index in place, and the verb goes on."""
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache)}
    with exclusive_lock(cache / ".gazetteer-build.lock"):
        process = subprocess.Popen([GEOEVENTS, *VERBS[verb](tmp_path)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        first = process.stderr.readline()
        while first.startswith("warning: "):
            first = process.stderr.readline()
        assert first.startswith(INDEX_LINE) and first.rstrip().endswith("…"), first
        (cache / built_index.name).symlink_to(built_index, target_is_directory=True)
    out, rest = process.communicate(timeout=300)
    assert process.returncode in (0, 3), rest  # 3: validate/geocode found problems, not a crash
    assert any(line.startswith(INDEX_LINE) and "): done in " in line for line in rest.splitlines()), rest
    assert "Traceback" not in rest
