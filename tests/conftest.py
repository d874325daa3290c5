"""Shared test fixtures: where the read-only test data beside the repository lives."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_DIR.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"the shared test data folder {SHARED_DIR} is absent")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seed_article(shared_dir: Path) -> Path:
    path = shared_dir / "seeds" / "politico-kursk-2025-02-07.txt"
    if not path.is_file():
        pytest.skip(f"the seed article {path} is absent")
    return path


@pytest.fixture(scope="session")
def deepstate_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "deepstate"
    if not any(path.glob("deepstatemap_data_*.geojson")):
        pytest.skip(f"the DeepStateMap snapshots in {path} are absent")
    return path
