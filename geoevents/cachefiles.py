"""Build-once helpers for files derived into the user cache dir (geoevents.paths.cache_dir).

Why one module: the gazetteer index and the boundaries cache are both built on
first use, possibly by several processes starting together. Each takes an
exclusive lock file, checks again under the lock (another process may have
finished meanwhile) and publishes its result with an atomic rename, so a reader
never sees half a file and a crash leaves nothing behind.

A build that takes a while is given a `label`; the command line installs a
reporter (set_build_reporter) that announces it on stderr with its progress, so
every verb that triggers the first-run build says so, and library users see
nothing unless they install one too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

#: label -> a context manager held around a labelled build (and the wait for its lock)
BuildReporter = Callable[[str], AbstractContextManager[object]]

_reporter: BuildReporter | None = None


def set_build_reporter(reporter: BuildReporter | None) -> BuildReporter | None:
    """Install the reporter for labelled builds (None: quiet); returns the previous one."""
    global _reporter
    previous, _reporter = _reporter, reporter
    return previous


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


def build_once(lock_path: Path, ready: Callable[[], bool], build: Callable[[], object], *,
               label: str | None = None) -> None:
    """Run `build` unless `ready()`; under `lock_path`, so concurrent processes build once.

    With a `label` ("the offline gazetteer index ...") the installed reporter wraps
    the wait for the lock and the build: a process waiting for another one's build
    is told so just the same."""
    if ready():
        return
    reporter = _reporter if label else None
    with reporter(label) if reporter is not None else contextlib.nullcontext():
        with exclusive_lock(lock_path):
            if not ready():
                build()
