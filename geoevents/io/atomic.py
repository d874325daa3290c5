"""Atomic file writes: a failure leaves no partial output and never touches the input.

Writers produce a temporary file in the destination folder (same file system, so the
final os.replace is atomic) and rename it only once it is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(ValueError):
    """The output path cannot be written (e.g. it is the input file)."""


def check_output(output: str | Path, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse to write over an input file; return the output as a Path."""
    out = Path(output)
    for source in inputs:
        src = Path(source)
        if src.exists() and out.exists() and os.path.samefile(src, out):
            raise OutputError(f"{out}: refusing to overwrite the input file")
        if src.resolve() == out.resolve():
            raise OutputError(f"{out}: refusing to overwrite the input file")
    if out.exists() and out.is_dir():
        raise OutputError(f"{out} is a directory")
    if not out.parent.exists():
        raise OutputError(f"{out.parent}: the output folder does not exist")
    return out


@contextlib.contextmanager
def atomic_path(output: str | Path, inputs: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `output`; on success it replaces `output`."""
    out = check_output(output, inputs)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=f".tmp{out.suffix}",
                                    dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # some writers (GDAL) refuse to write into an existing file
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"{out}: the writer produced no file")
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal"),
                         Path(str(tmp) + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
