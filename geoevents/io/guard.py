"""The output guard: no verb writes over a file it reads, or twice to one file in a run.

People run the tool on files others send them and type `-o` by hand, so a slip such as
`map victim.yaml -o victim.yaml` must be refused before anything is computed, and a
missing or read-only folder must be named before minutes of work are thrown away.
Files are compared by identity (device and inode), so symlinks, hard links and
relative spellings are caught; an input folder stands for every file inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PathLike = str | os.PathLike[str]


class OutputError(ValueError):
    """An output path cannot be written (it is an input, a folder, or not writable)."""


def landing(path: PathLike) -> Path:
    """Where a rename onto `path` lands: its folder with symlinks resolved, plus its name.

    The name itself is not resolved: os.replace swaps a symlink for the new file, it
    does not write through it (the identity check below catches links to inputs)."""
    path = Path(os.path.abspath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def _identity(path: PathLike) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _input_files(source: Path) -> Iterable[Path]:
    """A file input as itself; a folder input as every file inside it (recursively)."""
    if not source.is_dir():
        yield source
        return
    for folder, _, names in os.walk(source):
        for name in names:
            yield Path(folder) / name


def _check_folder(out: Path) -> None:
    if out.is_dir():
        raise OutputError(f"cannot write {out}: it is a folder")
    folder = out.parent
    if not folder.exists():
        raise OutputError(f"cannot write {out}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {out}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {out}: the folder {folder} is not writable")


def check_outputs(outputs: Iterable[PathLike], inputs: Iterable[PathLike] = ()) -> list[Path]:
    """Refuse outputs that are inputs, collide with each other, or cannot be written.

    outputs: every file this run will write. inputs: every file or folder it reads.
    Returns the outputs as Paths; raises OutputError naming the output otherwise."""
    outs = [Path(o) for o in outputs]
    sources = [Path(s) for s in inputs if str(s) not in ("", "-")]
    seen: dict[Path, Path] = {}
    for out in outs:
        key = landing(out)
        if key in seen:
            raise OutputError(f"cannot write {out}: this run also writes {seen[key]}, "
                              "the same file")
        seen[key] = out
    existing: dict[tuple[int, int], Path] = {}
    for out in outs:
        identity = _identity(out)
        if identity is not None:
            if identity in existing:
                raise OutputError(f"cannot write {out}: this run also writes "
                                  f"{existing[identity]}, the same file")
            existing[identity] = out
    if existing:  # only a file that exists can be an input
        for source in sources:
            for path in _input_files(source):
                out = existing.get(_identity(path) or (-1, -1))
                if out is None:
                    continue
                what = (f"the input file {path}" if path == source
                        else f"{path}, a file of the input folder {source}")
                raise OutputError(f"{out}: refusing to overwrite {what}")
    for out in outs:
        _check_folder(out)
    return outs


def check_output(output: PathLike, inputs: Iterable[PathLike] = ()) -> Path:
    """check_outputs for a single output."""
    return check_outputs([output], inputs)[0]
