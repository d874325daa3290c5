"""CSV cells a spreadsheet cannot run, and numbers written in full.

Spreadsheets treat a cell that starts with `=`, `+`, `-`, `@`, tab or CR (also after
spaces) as a formula, so a claimant `=HYPERLINK(...)` from someone else's file would
become a live link. Following OWASP's advice such text gets a leading `'` (shown by
spreadsheets as plain text). To keep CSV -> CSV exact, the escaping is reversible: text
that already starts with quotes before such a character gets one more quote, and
`unescape_cell` strips exactly one. Plain numbers (`-3.5`, `+1e3`) are not formulas and
are left alone.

Every CSV writer of the package goes through `write_rows` or `write_frame`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

# The OWASP list (= + - @ tab CR) plus LF and the full-width forms some locales accept.
_TRIGGER = re.compile(r"[ \u00a0\u3000]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r" *[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)? *")


_FIRST = frozenset("'=+-@\t\r\n \u00a0\u3000\uff1d\uff0b\uff0d\uff20")  # fast path


def _formula_like(text: str) -> bool:
    """Would a spreadsheet read `text`, once leading quotes are removed, as a formula?"""
    core = text.lstrip("'")
    return _TRIGGER.match(core) is not None and _NUMBER.fullmatch(core) is None


def escape_cell(text: str) -> str:
    """`text` as a spreadsheet shows it literally; `unescape_cell` gives it back."""
    if not text or text[0] not in _FIRST:
        return text
    return "'" + text if _formula_like(text) else text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell` (a cell that was never escaped comes back unchanged)."""
    return text[1:] if text.startswith("'") and _formula_like(text) else text


def format_number(value: float) -> str:
    """A float in full: integers as digits (no 1.2e+16), others as the shortest exact repr."""
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e21:
        return ("-" if math.copysign(1.0, value) < 0 else "") + str(abs(int(value)))
    return repr(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def cell(value: Any) -> str:
    """One value as CSV text: missing -> empty, numbers in full, text escaped."""
    if type(value) is str:
        return escape_cell(value)
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    return escape_cell(value if isinstance(value, str) else str(value))


def write_rows(stream: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write a header and rows as CSV ("\\n" line ends), every cell through `cell`."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)


def write_frame(frame: Any, stream: IO[str]) -> None:
    """A DataFrame (index dropped) as CSV, every cell as `cell` gives it (column by column,
    which is faster for big tables)."""
    columns = []
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        if values.dtype.kind == "f":
            columns.append([format_number(v) for v in values.tolist()])
        else:
            columns.append([cell(v) for v in values.tolist()])
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([cell(name) for name in frame.columns])
    writer.writerows(zip(*columns) if columns else [()] * len(frame))


def read_rows(stream: IO[str]) -> Iterable[list[str]]:
    """Rows of a CSV written by `write_rows`, with every cell unescaped."""
    for row in csv.reader(stream):
        yield [unescape_cell(value) for value in row]
