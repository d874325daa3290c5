"""The CI rules themselves: under CI=true a skip is a failure, and .ci/run refuses to start
without the shared test data. (A rule nobody tests is a rule that quietly stops holding.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.fixture()
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A small test folder using our real conftest.py and prerequisites.py."""
    for name in ("conftest.py", "prerequisites.py"):
        shutil.copy(TESTS / name, pytester.path / name)
    pytester.makepyfile(test_sample="""
        import pytest
        from prerequisites import missing

        def test_runs():
            assert True

        def test_needs_something():
            missing("the thing this test needs")

        @pytest.mark.xfail(strict=True, reason="a known bug")
        def test_known_bug():
            assert False
    """)
    return pytester


def test_locally_a_missing_prerequisite_skips(suite: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*missing prerequisite: the thing this test needs*"])


def test_under_ci_a_missing_prerequisite_fails(suite: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest()
    result.assert_outcomes(passed=1, failed=1, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*missing prerequisite under CI=true: the thing this test needs*"])


def test_under_ci_any_skip_fails_the_session(pytester: pytest.Pytester, monkeypatch) -> None:
    """A skip that bypasses `missing` (a module-level importorskip, a bare pytest.skip)."""
    for name in ("conftest.py", "prerequisites.py"):
        shutil.copy(TESTS / name, pytester.path / name)
    pytester.makepyfile(test_skipping_module="""
        import pytest
        pytest.importorskip("no_such_module_geoevents_test")

        def test_never_collected():
            pass
    """, test_bare_skip="""
        import pytest

        def test_ok():
            pass

        def test_skips():
            pytest.skip("some reason")
    """)
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*CI=true: skipped tests fail the run*"])
    result.stdout.fnmatch_lines(["SKIPPED test_bare_skip.py::test_skips: *some reason*"])
    result.stdout.fnmatch_lines(["SKIPPED test_skipping_module.py: *no_such_module_geoevents_test*"])
    monkeypatch.delenv("CI")
    assert pytester.runpytest().ret == pytest.ExitCode.OK


def test_absent_shared_data_fails_under_ci(pytester: pytest.Pytester, monkeypatch) -> None:
    """The real fixtures: here ../shared of the copied conftest does not exist."""
    for name in ("conftest.py", "prerequisites.py"):
        shutil.copy(TESTS / name, pytester.path / name)
    assert not (pytester.path.parent / "shared").exists()
    pytester.makepyfile(test_data="""
        def test_article(seed_article):
            pass

        def test_snapshots(deepstate_dir):
            pass
    """)
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*missing prerequisite under CI=true: the shared test data folder*"])
    monkeypatch.delenv("CI")
    pytester.runpytest().assert_outcomes(skipped=2)


def test_ci_run_refuses_to_start_without_the_shared_data(tmp_path: Path) -> None:
    clone = tmp_path / "repo"
    (clone / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", clone / ".ci" / "run")
    env = {**os.environ, "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(["bash", str(clone / ".ci" / "run")], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode != 0
    assert f"{tmp_path / 'shared'} is missing" in done.stderr
    assert not (clone / ".venv").exists()  # stopped before installing anything
    (tmp_path / "shared" / "seeds").mkdir(parents=True)
    done = subprocess.run(["bash", str(clone / ".ci" / "run")], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode != 0 and "data/deepstate is missing" in done.stderr


def test_ci_run_sets_ci_true() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nexport CI=true\n" in script
    assert script.index("export CI=true") < script.index("python -m pytest")
