"""Timing helpers shared by the bench scripts: one place for "median of N runs"."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def run_times(function: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Wall-clock seconds of each of `runs` calls, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def timed(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds over `runs` calls (this machine is shared and noisy), and the result."""
    times, result = run_times(function, runs)
    return statistics.median(times), result
