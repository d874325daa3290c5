"""Terminal tables fit the width and never cut a number, a date or a verdict.

Each command is run at COLUMNS=200, 80 and 60 on real DeepStateMap snapshots and on
small synthetic folders; every figure of its --format json output, formatted as the
table formats it, must appear whole in the table, and no line may be longer than
the width.
"""

from __future__ import annotations

import json
import os
import pty
import select
import struct
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main

WIDTHS = (200, 80, 60)


def run(args: list, width: int | None = None):
    env = {"COLUMNS": str(width)} if width else {}
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def assert_fits(output: str, width: int) -> None:
    long = [line for line in output.splitlines() if len(line) > width]
    assert not long, f"{len(long)} line(s) longer than {width}:\n" + "\n".join(long)


def assert_whole(output: str, values: list[str]) -> None:
    """Each value appears as a whole word of the output (not cut, not folded over two lines)."""
    words = {word.strip(",;()") for line in output.splitlines() for word in line.split()}
    lines = output.splitlines()
    missing = [v for v in values if (v not in words if " " not in v else not any(v in line for line in lines))]
    assert not missing, f"cut or missing: {missing}\n{output}"


def km2(value: float | None, fmt: str = ",.2f") -> str:
    return "–" if value is None else format(value, fmt)


@pytest.fixture(scope="module")
def deepstate_months(deepstate_dir: Path, tmp_path_factory) -> Path:
    """Real snapshots, the first of each month (irregular: 28–31 days apart), linked into a folder."""
    folder = tmp_path_factory.mktemp("deepstate-months")
    for path in sorted(deepstate_dir.glob("deepstatemap_data_20??????.geojson")):
        if path.stem.endswith("01") or path.stem.endswith("20240708"):
            (folder / path.name).symlink_to(path)
    assert len(list(folder.iterdir())) >= 8
    return folder


@pytest.fixture(scope="module")
def huge(tmp_path_factory) -> Path:
    """Synthetic snapshots with two controllers and areas in the millions of km²."""
    folder = tmp_path_factory.mktemp("huge")
    for i, day in enumerate(("20240101", "20240102", "20240110")):
        gpd.GeoDataFrame(
            {"controller": ["RU", "UA"]},
            geometry=[shapely.box(0, 0, 30 + i, 40), shapely.box(40, 0, 70, 30 - 2 * i)], crs=4326,
        ).to_file(folder / f"front_{day}.geojson", driver="GeoJSON")
    return folder


def diff_values(record: dict) -> list[str]:
    values = [record["date_from"], record["date_to"]]
    for row in record["controllers"]:
        values += [row["controller"], km2(row["gained_km2"]), km2(row["lost_km2"]), km2(row["net_km2"]),
                   str(row["gained_parts"]), str(row["lost_parts"])]
    for row in record.get("regions", []):
        values += [km2(row["gained_km2"]), km2(row["lost_km2"]), km2(row["net_km2"])]
        values += [km2(row["noise_km2"])] if "noise_km2" in row else []
        values += [row["admin1_code"]] if row["admin1_code"] else []
    return values


@pytest.mark.parametrize("width", WIDTHS)
def test_diff_by_region_on_deepstate(deepstate_dir, width):
    args = ["diff", deepstate_dir, "--from", "2024-07-08", "--to", "2025-02-07", "--by", "admin1"]
    record = json.loads(run(args + ["--format", "json"]).stdout)
    table = run(args, width)
    assert table.exit_code == 0, table.output
    assert_fits(table.stdout, width)
    assert_whole(table.stdout, diff_values(record))
    assert "2,86…" not in table.stdout and "…" not in table.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_diff_with_millions_of_km2(huge, width):
    args = ["diff", huge, "--from", "2024-01-01", "--to", "2024-01-10"]
    record = json.loads(run(args + ["--format", "json"]).stdout)
    assert record["controllers"][0]["gained_km2"] > 1e5
    table = run(args, width)
    assert table.exit_code == 0, table.output
    assert_fits(table.stdout, width)
    assert_whole(table.stdout, diff_values(record))


def timeline_values(record: dict, period: str) -> list[str]:
    values = []
    for row in record["periods"]:
        start = row["period_start"][:7] if period == "month" else row["period_start"]
        values += [start, row["controller"], km2(row["area_km2"]), km2(row["net_change_km2"]),
                   km2(row["gained_km2"]), km2(row["lost_km2"]), str(row["snapshots"])]
    return values


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("period", ["month", "week"])
def test_timeline_on_deepstate_months(deepstate_months, width, period):
    args = ["timeline", deepstate_months, "--period", period]
    record = json.loads(run(args + ["--format", "json"]).stdout)
    table = run(args, width)
    assert table.exit_code == 0, table.output
    assert_fits(table.stdout, width)
    assert_whole(table.stdout, timeline_values(record, period))


@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_with_two_controllers_and_millions_of_km2(huge, width):
    args = ["timeline", huge, "--period", "day"]
    record = json.loads(run(args + ["--format", "json"]).stdout)
    table = run(args, width)
    assert table.exit_code == 0, table.output
    assert_fits(table.stdout, width)
    assert_whole(table.stdout, timeline_values(record, "day"))


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> Path:
    """Claims the DeepStateMap layer answers (RU in Ukraine) and one it cannot (UA in Kursk)."""
    path = tmp_path_factory.mktemp("claims") / "claims.csv"
    pd.DataFrame([
        {"id": "ru-held-2024-11", "date": "2024-11-01", "kind": "control", "place": "Ukraine", "country": "UA",
         "actor": "Russian forces", "figure": 100000, "figure_unit": "km2", "claimant": "test",
         "claim": "Russia holds about 100,000 km² of Ukraine", "status": "claimed"},
        {"id": "ru-took-autumn", "date": "2024-09-01/2025-01-01", "kind": "advance", "place": "Ukraine",
         "country": "UA", "actor": "Russian forces", "figure": 2000, "figure_unit": "km2", "claimant": "test",
         "claim": "Russia took about 2,000 km² in four months", "status": "claimed"},
        {"id": "ua-kursk", "date": "2024-12-01", "kind": "control", "place": "Kursk Oblast", "country": "RU",
         "actor": "Ukrainian forces", "figure": 800, "figure_unit": "km2", "claimant": "test",
         "claim": "Ukraine holds about 800 km² of Kursk Oblast", "status": "claimed"},
    ]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_check_claims_on_deepstate_months(claims, deepstate_months, width):
    args = ["check-claims", claims, "--control", deepstate_months, "--max-days", "31"]
    rows = json.loads(run(args + ["--format", "json"]).stdout)
    assert [r["verdict"] for r in rows][2] == "no data"
    assert {r["verdict"] for r in rows[:2]} <= {"consistent", "overstated", "understated"}
    table = run(args, width)
    assert table.exit_code == 0, table.output
    assert_fits(table.stdout, width)
    values = []
    for row in rows:
        values += [row["id"], row["date"], row["controller"], row["measure"], row["region"], row["verdict"],
                   km2(row["claimed_km2"], ",.0f"), km2(row["measured_km2"], ",.0f"),
                   km2(row["ratio"], ".2f")]
    assert_whole(table.stdout, values)


def test_a_real_terminal_of_80_columns(deepstate_dir):
    """Through a pseudo-terminal (rich sizes its console from the terminal, not COLUMNS)."""
    import fcntl
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = [sys.executable, "-c", "from geoevents.cli import main; main()", "diff", str(deepstate_dir),
               "--from", "2024-07-08", "--to", "2025-02-07", "--by", "admin1"]
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8", "replace")
    plain = "\n".join(line.rstrip() for line in _strip_ansi(text).replace("\r", "").splitlines())
    assert_fits(plain, 80)
    assert "Territory change 2024-07-08 → 2025-02-07" in plain and "…" not in plain
    assert_whole(plain, ["RU-KRS", "UA-14", "2,445.73"])


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize("width", WIDTHS)
def test_geocode_table_fits_and_keeps_every_figure(width):
    names = ["Sudzha", "Khar'kov", "Артемівськ", "Kursk region", "Mykolaivka", "Qwxzvbnmplk"]
    rows = json.loads(run(["geocode", *names, "--format", "json"]).stdout)
    table = run(["geocode", *names, "--format", "table"], width)
    assert table.exit_code == 3  # one name does not resolve
    assert_fits(table.stdout, width)
    values = []
    for row in rows:
        if row.get("error"):
            values.append(row["query"])
            continue
        values += [row["query"], row["name"], row["admin1_code"], f"{row['latitude']:.4f}",
                   f"{row['longitude']:.4f}", f"{row['score']:.2f}"]
    text = table.stdout.replace("\u00a0", " ")
    assert_whole(text, values)
    assert "Mykolayivka (UA-51)" in text.replace("\n  ", " ")  # the ambiguity note is there, wrapped


@pytest.mark.parametrize("width", (80, 40))
def test_locate_lines_fit(width):
    result = run(["locate", "Sudzha", "--from", "Kharkiv", "--nearby", "3"], width)
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout, width)
    assert_whole(result.stdout, ["RU-KRS", "51.19100", "35.27100"])


def test_text_from_input_is_never_read_as_markup(tmp_path):
    folder = tmp_path / "[bold]front"
    folder.mkdir()
    for i, day in enumerate(("20240101", "20240102")):
        gpd.GeoDataFrame(geometry=[shapely.box(30, 50, 31 + 0.1 * i, 51)], crs=4326).to_file(
            folder / f"f_{day}.geojson", driver="GeoJSON")
    regions = tmp_path / "regions.geojson"
    gpd.GeoDataFrame({"admin1_code": ["ZZ-1"], "admin1_name": ["[red]East[blink]"]},
                     geometry=[shapely.box(29, 49, 33, 52)], crs=4326).to_file(regions, driver="GeoJSON")
    timeline = run(["timeline", folder], 80)
    assert timeline.exit_code == 0, timeline.output
    assert "— [bold]front" in timeline.stdout
    diff = run(["diff", folder, "--from", "2024-01-01", "--to", "2024-01-02", "--by", "admin1",
                "--boundaries", regions], 80)
    assert diff.exit_code == 0, diff.output
    assert "[red]East[blink]" in diff.stdout
