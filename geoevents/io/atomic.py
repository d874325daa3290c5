"""Atomic file writes: a failure leaves no partial output and never touches the input.

Writers produce a temporary file in the destination folder (same file system, so the
final os.replace is atomic) and rename it only once it is complete. A run killed with
`kill -9` cannot clean up, so temporary names carry this host and the writing process
id, and every later write into the folder removes the temporaries whose process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path

from geoevents.io.guard import OutputError, PathLike, check_output, check_outputs

__all__ = ["OutputError", "atomic_path", "check_output", "check_outputs", "remove_stale_temps",
           "temp_name", "write_text"]

# .NAME.geoevents-HOST-PID-TOKEN.tmp.SUFFIX, plus what SQLite/GDAL add (-journal, -wal, -shm)
_TEMP = re.compile(r"\..*\.geoevents-(?P<host>[0-9a-f]{6})-(?P<pid>[0-9]+)-[0-9a-f]{8}\.tmp"
                   r"(\.[^./]*)?(-journal|-wal|-shm)?", re.DOTALL)
_SIDECARS = ("-journal", "-wal", "-shm")
_NAME_BYTES = 120  # room for the tag within the usual 255-byte name limit


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def temp_name(output: PathLike) -> Path:
    """A fresh temporary path beside `output` naming this host and process."""
    out = Path(output)
    stem = out.name.encode("utf-8", "surrogateescape")[:_NAME_BYTES].decode("utf-8", "ignore")
    return out.with_name(f".{stem}.geoevents-{_host_tag()}-{os.getpid()}-"
                         f"{secrets.token_hex(4)}.tmp{out.suffix}")


def _process_gone(pid: int) -> bool:
    """True when no process `pid` runs here (a zombie, killed but not yet reaped, is gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    except OverflowError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def remove_stale_temps(folder: PathLike) -> list[Path]:
    """Delete temporaries left in `folder` by writers of this host that no longer run.

    Only regular files named by `temp_name` (or their SQLite side files), owned by this
    user, whose process is gone, are removed; a live writer's file is never touched."""
    removed = []
    host = _host_tag()
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None or match["host"] != host or not _process_gone(int(match["pid"])):
            continue
        try:
            status = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or (uid is not None and status.st_uid != uid):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _cannot_write(out: Path, error: BaseException, tmp: Path) -> OutputError:
    """The error as the user should see it: about `out`, never the temporary file."""
    reason = getattr(error, "strerror", None) or str(error).replace(str(tmp), str(out))
    return OutputError(f"cannot write {out}: {reason}")


@contextlib.contextmanager
def atomic_path(output: PathLike, inputs: Iterable[PathLike] = (), *,
                write_errors: tuple[type[BaseException], ...] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `output`; on success it replaces `output`.

    The writer creates the file itself (GDAL refuses an existing one). Any OSError (or
    one of `write_errors`, e.g. GDAL's) while writing or renaming is reported as an
    OutputError naming `output`, not the temporary."""
    out = check_output(output, tuple(inputs))
    remove_stale_temps(out.parent)
    tmp = temp_name(out)
    try:
        try:
            yield tmp
        except (OSError, *write_errors) as error:
            raise _cannot_write(out, error, tmp) from error
        if not tmp.exists():
            raise OutputError(f"{out}: the writer produced no file")
        try:
            os.replace(tmp, out)
        except OSError as error:
            raise _cannot_write(out, error, tmp) from error
    finally:
        for leftover in (tmp, *(Path(str(tmp) + side) for side in _SIDECARS)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_text(output: PathLike, text: str, inputs: Iterable[PathLike] = ()) -> Path:
    """Write `text` as UTF-8 (newlines as given) to `output`, atomically."""
    with atomic_path(output, inputs) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return Path(output)
