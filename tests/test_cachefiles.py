"""build_once: several processes starting together build a cache entry exactly once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from geoevents.cachefiles import build_once

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from geoevents.cachefiles import build_once

    root = Path(sys.argv[1])
    target = root / "entry.txt"

    def build():
        with open(root / "builds.log", "a") as log:
            log.write("built\\n")
        time.sleep(0.5)  # long enough for the other processes to queue on the lock
        tmp = root / "entry.tmp"
        tmp.write_text("ready")
        tmp.replace(target)

    build_once(root / ".lock", target.is_file, build)
    print(target.read_text())
""")


def test_concurrent_processes_build_once(tmp_path: Path) -> None:
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
               for _ in range(3)]
    outputs = [worker.communicate(timeout=60)[0].strip() for worker in workers]
    assert outputs == ["ready"] * 3
    assert (tmp_path / "builds.log").read_text().splitlines() == ["built"]


def test_ready_entry_is_not_rebuilt(tmp_path: Path) -> None:
    calls: list[int] = []
    build_once(tmp_path / ".lock", lambda: True, lambda: calls.append(1))
    assert calls == []
    build_once(tmp_path / ".lock", lambda: bool(calls), lambda: calls.append(1))
    assert calls == [1]
