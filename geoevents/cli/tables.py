"""Tables for people, readable at any terminal width: numbers, dates and verdicts stay whole.

Why: rich squeezes a table into the console with an ellipsis in each cell, which
printed 2,863.08 km² as `2,86…`, dates as `202…` and verdicts as `ov…` at 80
columns. Here a column is either *whole* (numbers, dates, codes, verdicts: never
broken) or *text* (wraps at spaces); every column gets at least its longest
unbreakable word, and when the whole columns alone do not fit, each row is printed
as a block of `field  value` lines instead (stacked), which fits any width.

rich is imported inside the functions: CLI modules keep their top-level imports light.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

#: columns and padding of the compact table style (no outer edge): 3 characters between columns
GAP = 3
#: width given to the output when it is not a terminal and COLUMNS is not set (piped to a file)
PIPED_WIDTH = 200


def output_width(stream: TextIO | None = None) -> int | None:
    """The width to lay text out for: COLUMNS when set, else the terminal's, else None (piped)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return None


@dataclass(frozen=True)
class Column:
    """One column: the frame's `key`, its `header`, and whether its cells may wrap at spaces."""

    key: str
    header: str
    text: bool = False      # free text: wraps at spaces (names, reasons); else kept whole
    numeric: bool = False   # right-aligned


def cell(value: Any, fmt: str | None = None) -> str:
    """A value as table text: missing values as an en dash, floats with thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, fmt or ",.2f")
    if fmt is not None and isinstance(value, int):
        return format(value, fmt)
    return "".join(ch if ch.isprintable() else "?" for ch in str(value))


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _layout(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None) -> list[int] | None:
    """Column widths for a table that fits `width`, or None when only stacked rows fit."""
    natural = [max([len(c.header)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    least = []
    for i, column in enumerate(columns):
        if column.text:
            least.append(max([_longest_word(column.header)] + [_longest_word(r[i]) for r in rows] + [1]))
        else:
            least.append(max([_longest_word(column.header)] + [len(r[i]) for r in rows]))
    overhead = GAP * (len(columns) - 1)
    if width is None or sum(natural) + overhead <= width:
        return natural
    if sum(least) + overhead > width:
        return None
    # share the room left among the columns that lack it (wrapped headers, text), in proportion
    widths = list(least)
    spare = width - overhead - sum(least)
    lacking = {i: natural[i] - least[i] for i in range(len(columns)) if natural[i] > least[i]}
    total = sum(lacking.values())
    for i, lack in lacking.items():
        widths[i] += min(lack, spare * lack // total)
    return widths


def render(title: str, columns: Sequence[Column], rows: Iterable[Sequence[str]], *,
           width: int | None, caption: str | None = None) -> Any:
    """A rich renderable: a compact table when the whole columns fit `width`, else stacked rows."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    rows = [list(r) for r in rows]
    widths = _layout(columns, rows, width)
    if widths is not None:
        # Text, never str: rich would read "[red]" in a region name or a folder name as markup
        table = Table(title=Text(title), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      title_justify="left")
        for column, size in zip(columns, widths):
            # every whole cell fits its width, so only headers and text cells ever wrap
            table.add_column(Text(column.header), justify="right" if column.numeric else "left", width=size,
                             overflow="fold")
        for row in rows:
            table.add_row(*(Text(value) for value in row))
        return Group(table, Text(caption)) if caption else table
    # stacked: one block per row, `header  value`; values wrap (and fold only past the width)
    label = min(max(len(c.header) for c in columns), max((width or 80) // 2, 8))
    parts: list[Any] = [Text(title, style="italic")]
    for number, row in enumerate(rows, 1):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(width=label, overflow="fold")
        grid.add_column(overflow="fold")
        for column, value in zip(columns, row):
            grid.add_row(Text(column.header, style="bold"), Text(value))
        parts += [Text(f"— {number}/{len(rows)}", style="dim"), grid]
    if caption:
        parts.append(Text(caption))
    return Group(*parts)


def frame_rows(frame: Any, columns: Sequence[Column], formats: dict[str, str] | None = None) -> list[list[str]]:
    """The cells of `frame` (a pandas DataFrame) for `columns`, formatted with `formats`."""
    import pandas as pd

    formats = formats or {}
    out = []
    for record in frame[[c.key for c in columns]].itertuples(index=False):
        out.append([cell(None if value is pd.NA or value is pd.NaT else value, formats.get(column.key))
                    for column, value in zip(columns, record)])
    return out


def columns_of(frame: Any, keys: Sequence[str], *, text: Iterable[str] = ()) -> list[Column]:
    """Columns for `keys` of `frame`: headers from the names (`net_km2` -> `net km²`),
    numeric ones right-aligned, `text` ones wrapping."""
    wrap = set(text)
    out = []
    for key in keys:
        numeric = key in frame and frame[key].dtype.kind in "fiu"
        header = key.replace("_km2", " km²").replace("_", " ")
        out.append(Column(key, header, text=key in wrap, numeric=numeric))
    return out
