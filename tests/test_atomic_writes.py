"""Writes are atomic for real: a writer that fails half-way, or is killed, loses nothing.

Failures are produced for real, not mocked: the writing process gets a file-size limit
(RLIMIT_FSIZE), so the kernel refuses its writes once part of the output is on disk,
whatever library writes it (json, csv, GDAL/SQLite, matplotlib). A writer killed with
SIGKILL leaves its temporary files behind; the next run into that folder removes them,
and only them.
"""

from __future__ import annotations

import csv
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.io.atomic import atomic_path, remove_stale_temps, temp_name

CLI = [sys.executable, "-c", "from geoevents.cli import main; main()"]


def events_csv(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "latitude", "longitude", "kind", "claimant", "claim", "status"])
        for i in range(count):
            writer.writerow([f"e{i}", "2024-08-06", 50 + i * 1e-4, 35 + i * 1e-4, "attack", "Test Wire",
                             f"Shelling reported at test point {i}, the wire said.", "reported"])
    return path


def run_limited(args: list[object], limit: int, cwd: Path) -> subprocess.CompletedProcess:
    """Run a child whose files may not grow beyond `limit` bytes (writes then fail with EFBIG)."""
    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONWARNINGS": "ignore"}
    return subprocess.run([str(a) for a in args], preexec_fn=limit_files, capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tables")
    return {"small": events_csv(folder / "small.csv", 5), "big": events_csv(folder / "big.csv", 3000),
            "control": Path(__file__).parent / "data" / "territory" / "control_dated.geojson"}


# CLI arguments writing OUT from a table, the output name, the table of the failing run
# (the previous output comes from `small`), and the size limit in bytes
MID_WRITE = {
    "GeoJSON": (["export", "{table}", "-o", "{out}"], "out.geojson", "big", 200_000),
    "CSV": (["export", "{table}", "-o", "{out}"], "out.csv", "big", 100_000),
    "GeoPackage": (["export", "{table}", "-o", "{out}"], "out.gpkg", "big", 300_000),
    "HTML map": (["map", "{table}", "-o", "{out}"], "out.html", "small", 100_000),  # Leaflet inline
}


@pytest.mark.parametrize("kind", sorted(MID_WRITE))
def test_a_writer_failing_mid_write_leaves_the_previous_output_intact(kind: str, tables: dict[str, Path],
                                                                      tmp_path: Path) -> None:
    template, name, table, limit = MID_WRITE[kind]
    out = tmp_path / name

    def args(table: str, target: Path) -> list[str]:
        return [a.format(table=tables[table], out=target) for a in template]

    full = tmp_path / "full" / name
    full.parent.mkdir()
    assert CliRunner().invoke(main, args(table, full), catch_exceptions=False).exit_code == 0
    assert full.stat().st_size > 2 * limit  # so the limited run is stopped part-way through
    assert CliRunner().invoke(main, args("small", out), catch_exceptions=False).exit_code == 0
    before, listing = out.read_bytes(), sorted(os.listdir(tmp_path))

    result = run_limited(CLI + args(table, out), limit, tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"cannot write {out}" in result.stderr and "Traceback" not in result.stderr
    assert ".tmp" not in result.stderr  # the message names the output, not a temporary file
    assert out.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == listing  # no temporary file left


def test_png_writers_failing_mid_write_leave_the_previous_png_intact(tables: dict[str, Path],
                                                                     tmp_path: Path) -> None:
    plot = tmp_path / "timeline.png"
    assert CliRunner().invoke(main, ["timeline", str(tables["control"]), "--plot", str(plot)]).exit_code == 0
    assert plot.stat().st_size > 20_000
    before = plot.read_bytes()
    plot.write_bytes(before[: len(before) // 2] + b"previous")  # any earlier content
    before = plot.read_bytes()
    result = run_limited(CLI + ["timeline", tables["control"], "--plot", plot], 10_000, tmp_path)
    assert result.returncode == 2 and f"cannot write {plot}: File too large" in result.stderr, result.stderr
    assert plot.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["timeline.png"]

    # the map PNG (geoevents.maps.png), through the library
    png = tmp_path / "map.png"
    png.write_bytes(b"previous map")
    code = textwrap.dedent(f"""
        from geoevents.events.read import read_events
        from geoevents.io.guard import OutputError
        from geoevents.maps.png import make_png
        try:
            make_png(read_events({str(tables['small'])!r}), {str(png)!r})
        except OutputError as error:
            print(error)
    """)
    result = run_limited([sys.executable, "-c", code], 10_000, tmp_path)
    assert result.returncode == 0 and f"cannot write {png}: File too large" in result.stdout, result.stderr
    assert png.read_bytes() == b"previous map"
    assert sorted(os.listdir(tmp_path)) == ["map.png", "timeline.png"]


# ------------------------------------------------------------- runs killed with kill -9

LIVE_WRITER = """
import sys
from geoevents.io.atomic import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    with open(tmp, "w") as handle:
        handle.write("partial,")
        handle.flush()
        print(tmp, flush=True)
        sys.stdin.readline()          # a live writer, mid-write, until told to finish
        handle.write("done\\n")
"""

BIG_WRITER = """
import sys
import geopandas as gpd
import numpy as np
from geoevents.io.write import write_events
n = int(sys.argv[2])
frame = gpd.GeoDataFrame({"id": [f"e{i}" for i in range(n)], "claim": ["a claim of some length"] * n},
                         geometry=gpd.points_from_xy(np.linspace(30, 40, n), np.linspace(45, 52, n)), crs=4326)
print("writing", flush=True)
write_events(frame, sys.argv[1])
"""


def _ours(folder: Path, name: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(f".{name}.geoevents-"))


def test_temporaries_of_a_killed_run_are_removed_by_the_next_run(tmp_path: Path, tables: dict[str, Path]) -> None:
    target = tmp_path / "big.gpkg"
    target.write_bytes(b"previous output")
    writer = subprocess.Popen([sys.executable, "-c", BIG_WRITER, str(target), "400000"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size > 100_000 for p in _ours(tmp_path, "big.gpkg") if p.exists()):
            assert writer.poll() is None, "the writer finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(writer.pid, signal.SIGKILL)  # kill -9, mid-write
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    stale = _ours(tmp_path, "big.gpkg")
    assert stale and sum(p.stat().st_size for p in stale) > 100_000
    assert target.read_bytes() == b"previous output"

    live = subprocess.Popen([sys.executable, "-c", LIVE_WRITER, str(tmp_path / "live.csv")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        live_tmp = Path(live.stdout.readline().strip())
        assert live_tmp.is_file()
        # the next run writing into the folder (any verb, any output)
        result = CliRunner().invoke(main, ["export", str(tables["small"]), "-o", str(tmp_path / "next.csv")])
        assert result.exit_code == 0, result.output
        assert not any(p.exists() for p in stale)
        assert live_tmp.read_text() == "partial,"  # the live writer's file is untouched
        live.stdin.write("\n")
        live.stdin.flush()
        assert live.wait(timeout=60) == 0
    finally:
        live.kill()
        live.wait()
    assert (tmp_path / "live.csv").read_text() == "partial,done\n" and not live_tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.gpkg", "live.csv", "next.csv"]
    assert target.read_bytes() == b"previous output"


def test_only_our_dead_temporaries_are_removed(tmp_path: Path) -> None:
    """The state a killed GeoPackage write leaves (the file and its SQLite journal), next to
    files that must stay: a live process's temporary, look-alikes that are not ours."""
    dead = subprocess.run([sys.executable, "-c", "import sys; from geoevents.io.atomic import temp_name; "
                           "print(temp_name(sys.argv[1]))", str(tmp_path / "x.gpkg")],
                          capture_output=True, text=True, check=True)
    stale = Path(dead.stdout.strip())
    assert stale.parent == tmp_path and stale.name.startswith(".x.gpkg.geoevents-")
    journal = Path(f"{stale}-journal")
    mine = temp_name(tmp_path / "x.gpkg")  # this process is alive
    host = stale.name.split(".geoevents-")[1].split("-")[0]
    keep = [
        mine,
        tmp_path / stale.name.replace(f"-{host}-", "-000000-", 1),   # another host's writer
        tmp_path / ".x.gpkg.tmp",                                    # some other tool's temporary
        tmp_path / "x.gpkg",                                         # the output itself
        tmp_path / stale.name.replace(".tmp.gpkg", ".tmp.gpkg.bak"),  # not a name we make
    ]
    for path in (stale, journal, *keep):
        path.write_bytes(b"data")
    link = Path(f"{stale}-wal")
    link.symlink_to(tmp_path / "x.gpkg")  # a symlink is never ours to delete, even if the pid is gone
    removed = remove_stale_temps(tmp_path)
    assert sorted(removed) == sorted([stale, journal])
    assert all(p.exists() for p in keep) and link.is_symlink()

    # atomic_path cleans up before it writes, and leaves nothing of its own behind
    with atomic_path(tmp_path / "y.csv") as tmp:
        tmp.write_text("y\n")
    assert (tmp_path / "y.csv").read_text() == "y\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([p.name for p in keep] + [link.name, "y.csv"])
