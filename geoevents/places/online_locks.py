"""Cross-process pacing and in-flight locks for one online geocoding endpoint.

Why: the cache alone cannot keep our promise to a provider (at most one
request per second, never the same question twice). Six processes sharing a
cache each see a miss for a name none of them has stored yet, and each paces
only itself: they sent 1,191 requests for 200 names. Two file locks
(`filelock`, flock(2) on Unix: released by the OS when a process dies, so a
killed run never leaves a stale lock) fix both:

* the **pacing lock** of an endpoint is held for the whole of each request;
  the time the request ended is written beside it, and the next request, from
  any process, starts no sooner than `min_delay` after that end. So requests to
  one endpoint never overlap, and the gap between the end of one and the start
  of the next is at least the delay — which makes the interval between their
  arrivals at the server at least the delay too;
* a **name lock** is held while a name is being asked for (cache re-check,
  request, retries, storing the answer). A process that wants a name another
  process is fetching waits for it, then finds the answer in the cache.

Names share 64 lock files per endpoint (by hash), so the folder stays small;
two different names on one file only ever wait for each other, they are never
merged. Lock files live in `online-locks/` beside the cache file: processes
sharing a cache folder (GEOEVENTS_CACHE_DIR or the per-user default) share
the locks.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

NAME_STRIPES = 64


class LockWaitTimeout(Exception):
    """Another process held a lock longer than any request of ours could take."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class EndpointLocks:
    """The pacing lock and the name locks of one endpoint (e.g. nominatim@https://...)."""

    def __init__(self, folder: Path, endpoint: str, min_delay: float, wait_limit: float) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.endpoint = endpoint
        self.min_delay = float(min_delay)
        self.wait_limit = float(wait_limit)
        self._key = _digest(endpoint)[:16]
        self._pace_lock = FileLock(str(self.folder / f"{self._key}.pace.lock"))
        self._pace_file = self.folder / f"{self._key}.pace"
        self._name_locks: dict[int, FileLock] = {}

    # -- pacing -------------------------------------------------------------

    def _last_end(self) -> float | None:
        try:
            return float(self._pace_file.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None  # never asked, or a run died while writing: the wait below stays bounded

    def _record_end(self, when: float) -> None:
        tmp = self._pace_file.with_name(f"{self._pace_file.name}.{os.getpid()}.tmp")
        tmp.write_text(repr(when), encoding="ascii")
        os.replace(tmp, self._pace_file)

    @contextmanager
    def request_slot(self) -> Iterator[None]:
        """Hold the endpoint for one request, starting >= min_delay after the previous one ended."""
        try:
            self._pace_lock.acquire(timeout=self.wait_limit)
        except Timeout:
            raise LockWaitTimeout(f"another process has been sending to {self.endpoint} for more than "
                                  f"{self.wait_limit:g} s") from None
        try:
            last = self._last_end()
            if last is not None:
                # capped: a clock set back must not stall us for hours
                wait = min(last + self.min_delay - time.time(), self.min_delay)
                if wait > 0:
                    time.sleep(wait)
            try:
                yield
            finally:
                self._record_end(time.time())
        finally:
            self._pace_lock.release()

    # -- names in flight ----------------------------------------------------

    @contextmanager
    def name(self, key: str) -> Iterator[None]:
        """Hold the in-flight lock of one (normalised) name while it is looked up."""
        stripe = int(_digest(f"{self.endpoint}\n{key}")[:8], 16) % NAME_STRIPES
        lock = self._name_locks.get(stripe)
        if lock is None:
            lock = FileLock(str(self.folder / f"{self._key}.name-{stripe:02d}.lock"))
            self._name_locks[stripe] = lock
        try:
            lock.acquire(timeout=self.wait_limit)
        except Timeout:
            raise LockWaitTimeout(f"another process has been looking this name up at {self.endpoint} "
                                  f"for more than {self.wait_limit:g} s") from None
        try:
            yield
        finally:
            lock.release()
