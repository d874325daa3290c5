"""Say what a long step is doing, on stderr: a live bar at a terminal, a few plain lines elsewhere.

Why: a first run that builds the gazetteer index, or a map over hundreds of
snapshots, used to sit silent for a minute. At a terminal a transient rich bar
or spinner shows progress and disappears; when stderr is a file or a pipe (CI
logs, cron) nothing is printed for short work, and long work prints one line
every EVERY_SECONDS so a log shows it is alive. stdout is never touched, so
`--format json` output stays clean.

rich is imported only when a terminal is there to draw on.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

#: plain-line progress starts after this many seconds and repeats this often
EVERY_SECONDS = 10.0


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def track(description: str) -> Callable[[Iterable[T]], Iterable[T]]:
    """A wrapper for a loop: `for item in track("reading snapshots")(items): ...`."""

    def wrap(items: Iterable[T]) -> Iterable[T]:
        if stderr_is_terminal():
            from rich.console import Console
            from rich.progress import track as rich_track

            return rich_track(items, description=description, console=Console(stderr=True), transient=True)
        return _plain(items, description)

    return wrap


def _plain(items: Iterable[T], description: str) -> Iterator[T]:
    items = list(items)
    started = last = time.monotonic()
    said = False
    for done, item in enumerate(items):
        now = time.monotonic()
        if now - last >= EVERY_SECONDS:
            _line(f"{description}: {done}/{len(items)} ({now - started:.0f} s)")
            last, said = now, True
        yield item
    if said:
        _line(f"{description}: {len(items)}/{len(items)} done in {time.monotonic() - started:.0f} s")


@contextlib.contextmanager
def working(description: str, *, announce: bool = False, done: bool = False) -> Iterator[None]:
    """Show that the block is working, with the seconds spent, where progress cannot be counted.

    `announce` prints `description…` as a line first (also when piped); `done` ends with
    `description: done in N s`. At a terminal a transient spinner shows the elapsed time;
    elsewhere a line every EVERY_SECONDS."""
    started = time.monotonic()
    if announce:
        _line(f"{description}…")
    if stderr_is_terminal():
        spinner = _spinner(description)
    else:
        spinner = _heartbeat(description, started)
    with spinner:
        yield
    if done:
        _line(f"{description}: done in {time.monotonic() - started:.0f} s")


def _spinner(description: str) -> Any:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
    progress.add_task(description, total=None)
    return progress


@contextlib.contextmanager
def _heartbeat(description: str, started: float) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(max(EVERY_SECONDS, 1.0)):
            _line(f"{description}: {time.monotonic() - started:.0f} s")

    thread = threading.Thread(target=beat, name="geoevents-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextlib.contextmanager
def announce_build(label: str) -> Iterator[None]:
    """The command line's reporter for geoevents.cachefiles builds: `building <label>…`."""
    with working(f"building {label}", announce=True, done=True):
        yield
