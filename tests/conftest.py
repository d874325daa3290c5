"""Shared test fixtures: where the read-only test data beside the repository lives,
and the CI=true rule that a skipped test is a failed run."""

from __future__ import annotations

from pathlib import Path

import pytest

from prerequisites import in_ci, missing

REPO_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_DIR.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        missing(f"the shared test data folder {SHARED_DIR} is absent")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seed_article(shared_dir: Path) -> Path:
    path = shared_dir / "seeds" / "politico-kursk-2025-02-07.txt"
    if not path.is_file():
        missing(f"the seed article {path} is absent")
    return path


@pytest.fixture(scope="session")
def deepstate_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "deepstate"
    if not any(path.glob("deepstatemap_data_*.geojson")):
        missing(f"the DeepStateMap snapshots in {path} are absent")
    return path


# ---- CI=true: any skip fails the session -------------------------------------------
# A skip hides a test that did not run. Locally that is a convenience; in CI it is a
# green run that checked less than it claims. Every skip (a missing prerequisite, a
# module-level importorskip, a stray pytest.skip) is collected and, under CI=true,
# turns the session's exit status into a failure. xfail is not a skip.

_SKIPS: list[str] = []


def _note_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPS.append(f"{report.nodeid}: {reason}")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _note_skip(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    _note_skip(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if in_ci() and _SKIPS and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if in_ci() and _SKIPS:
        terminalreporter.section("CI=true: skipped tests fail the run", sep="=", red=True, bold=True)
        for line in _SKIPS:
            terminalreporter.write_line(f"SKIPPED {line}")
