"""Errors and warnings of control-layer reading, located the way every geoevents error is.

Why a module of its own: the file reader, the geometry checks and the folder
logic all report problems as `file:feature N (line L):field: error: ...`; one
formatter keeps that spelling identical everywhere, and keeping the classes
here lets those modules share them without importing each other.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from pathlib import Path

#: at most this many problems are listed for one file (the rest are counted)
MAX_LISTED = 20


class ControlLayerError(ValueError):
    """A control layer cannot be read; the message says which file, where and what to fix."""


class InvalidGeometryWarning(UserWarning):
    """Some control polygons were invalid and were repaired with shapely.make_valid."""


class MissingDatesWarning(UserWarning):
    """A snapshot folder skips days; changes across a gap cover more than one day."""


@dataclass(frozen=True)
class Where:
    """A place in a control file: the file, optionally a feature (1-based), its line and a field."""

    path: Path | str
    feature: int | None = None
    line: int | None = None
    field: str | None = None

    def at(self, field: str) -> Where:
        """The same place, narrowed to a field (`geometry`, `properties.controller`)."""
        return Where(self.path, self.feature, self.line, field)

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.feature is not None:
            parts.append(f"feature {self.feature}" + (f" (line {self.line})" if self.line else ""))
        elif self.line is not None:
            parts.append(str(self.line))
        if self.field:
            parts.append(self.field)
        return ":".join(parts)


def located(where: Where, message: str, severity: str = "error") -> str:
    """`file:feature N (line L):field: error: message`."""
    return f"{where}: {severity}: {message}"


class Problems:
    """Collects the located errors of one file, so a user sees them all in one run."""

    def __init__(self) -> None:
        self._found: list[tuple[int, str]] = []

    @property
    def messages(self) -> list[str]:
        """The located messages in feature order (checks run in phases, not per feature)."""
        return [message for _, message in sorted(self._found, key=lambda item: item[0])]

    def add(self, where: Where, message: str) -> None:
        self._found.append((where.feature or 0, located(where, message)))

    def __len__(self) -> int:
        return len(self._found)

    def raise_if_any(self) -> None:
        if not self._found:
            return
        messages = self.messages
        shown = messages[:MAX_LISTED]
        if len(messages) > MAX_LISTED:
            shown.append(f"... and {len(messages) - MAX_LISTED} more problem(s) in this file")
        raise ControlLayerError("\n".join(shown))


_REPR = reprlib.Repr()  # keyword arguments need Python 3.12
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 2, 4, 3
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 48, 48, 24


def short(value: object) -> str:
    """A bounded repr() of a value from the input: never formats an unbounded value."""
    return _REPR.repr(value)
