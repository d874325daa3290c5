"""What a test needs from outside the repository, and what happens when it is missing.

Locally a test whose prerequisite is absent (the ../shared data folder, Chromium,
build-time packages) skips and says why. Under CI=true the same test FAILS: a CI run
that quietly skipped the browser or the real-data tests would look green while
checking far less. conftest.py also fails a CI=true session that skipped anything.
"""

from __future__ import annotations

import os
from typing import NoReturn


def in_ci() -> bool:
    """True when the CI variable says so (CI=true, as .ci/run and most CI services set)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(reason: str) -> NoReturn:
    """Skip this test (locally) or fail it (CI=true) because `reason` is missing."""
    import pytest

    if in_ci():
        pytest.fail(f"missing prerequisite under CI=true: {reason}", pytrace=False)
    pytest.skip(f"missing prerequisite: {reason}")
