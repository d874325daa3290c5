"""The README's territory examples, run as written against the DeepStateMap snapshots."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def territory_block() -> str:
    section = README.split("### Territory change", 1)[1].split("\n### ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return block


@pytest.fixture(scope="module")
def workdir(deepstate_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    (folder / "snapshots").symlink_to(deepstate_dir, target_is_directory=True)
    (folder / "seeds").symlink_to(REPO / "seeds", target_is_directory=True)
    return folder


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    bin_dir = str(Path(sys.executable).parent)  # the `geoevents` of this environment
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)


@pytest.mark.slow
def test_the_territory_examples_run_and_check_claims_gives_a_verdict(workdir):
    block = territory_block()
    assert "check-claims" in block
    proc = shell(block, workdir)
    assert proc.returncode == 0, proc.stderr
    for name in ("changes.geojson", "timeline.csv", "timeline.png", "claims.csv"):
        assert (workdir / name).stat().st_size > 0, name
    assert "consistent" in proc.stdout and "no data" not in proc.stdout
    assert "Traceback" not in proc.stderr

    # the figures the README quotes are what the commands give
    command = next(line for line in block.splitlines() if line.startswith("geoevents check-claims"))
    (row,) = json.loads(shell(command + " --format json", workdir).stdout)
    assert row["verdict"] == "consistent"
    assert f"({row['measured_km2']:,.0f} km² measured)" in README
    diff = json.loads(shell("geoevents diff snapshots/ --from 2024-07-08 --to 2025-02-07 --by admin1 "
                            "--format json", workdir).stdout)
    kursk = next(r for r in diff["regions"] if r["admin1_code"] == "RU-KRS")
    assert f'"{kursk["noise_km2"]:.2f} km² of Kursk Oblast"' in README


@pytest.mark.slow
def test_the_seed_claims_get_no_data_with_the_reason_the_readme_gives(workdir):
    proc = shell("geoevents check-claims seeds/kursk-2025-02-07.yaml --control snapshots/ --format json",
                 workdir)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and {r["verdict"] for r in rows} == {"no data"}
    assert all("no polygons for controller UA" in r["reason"] for r in rows)
    assert "ground Ukraine held in Kursk Oblast" in README
