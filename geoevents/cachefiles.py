"""Build-once helpers for files derived into the user cache dir (geoevents.paths.cache_dir).

Why one module: the gazetteer index and the boundaries cache are both built on
first use, possibly by several processes starting together. Each takes an
exclusive lock file, checks again under the lock (another process may have
finished meanwhile) and publishes its result with an atomic rename, so a reader
never sees half a file and a crash leaves nothing behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if missing) for the block.

    Where fcntl does not exist (Windows) the block runs unlocked: the atomic renames
    still keep readers safe, at worst two processes build the same file."""
    try:
        import fcntl
    except ImportError:
        yield
        return

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_once(lock_path: Path, ready: Callable[[], bool], build: Callable[[], object]) -> None:
    """Run `build` unless `ready()`; under `lock_path`, so concurrent processes build once."""
    if ready():
        return
    with exclusive_lock(lock_path):
        if not ready():
            build()
