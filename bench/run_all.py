"""Run every benchmark in bench/ one after another and keep their printed figures.

Usage: python bench/run_all.py [--quick] [--only NAME ...]

Each bench_*.py script prints its own figures (medians of several runs, and the
ratio to its peer where the issue names one). This runner only sequences them,
so a noisy machine runs one benchmark at a time, and reports which failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a fast look")
    parser.add_argument("--only", nargs="*", default=None, help="names such as geocode or attach")
    args = parser.parse_args()

    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if args.only:
        wanted = {f"bench_{name.removeprefix('bench_').removesuffix('.py')}.py" for name in args.only}
        scripts = [script for script in scripts if script.name in wanted]
    failures: list[str] = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        result = subprocess.run(command, check=False)
        print(f"--- {script.name}: exit {result.returncode}, {time.perf_counter() - started:.1f} s", flush=True)
        if result.returncode != 0:
            failures.append(script.name)
    if failures:
        print(f"\nfailed: {', '.join(failures)}", file=sys.stderr)
        return 1
    print(f"\nall {len(scripts)} benchmarks ran")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
