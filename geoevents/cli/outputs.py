"""Output paths on the command line: every verb checks them the same way, before work.

An output that is an input, a folder, or in a missing or read-only folder is a usage
error (exit status 2) with one message naming the output, whichever verb found it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

EXIT_UNWRITABLE = 2


class UnwritableOutput(click.ClickException):
    """Shown as `Error: <message>` on stderr; exit status 2."""

    exit_code = EXIT_UNWRITABLE


@contextlib.contextmanager
def output_errors() -> Iterator[None]:
    """Report an OutputError raised inside as UnwritableOutput (exit status 2)."""
    from geoevents.io.guard import OutputError

    try:
        yield
    except OutputError as error:
        raise UnwritableOutput(str(error)) from None


def guard_outputs(outputs: Iterable[str | os.PathLike[str] | None],
                  inputs: Iterable[str | os.PathLike[str] | None] = ()) -> list[Path]:
    """Check every output of a run against each other and every input (None is skipped)."""
    from geoevents.io.guard import check_outputs

    with output_errors():
        return check_outputs([o for o in outputs if o is not None],
                             [i for i in inputs if i is not None])
