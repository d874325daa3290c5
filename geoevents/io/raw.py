"""The raw table every reader produces before events are checked and geocoded.

Readers only parse their format; one shared step (geoevents.events.normalize) turns a
RawTable into the event GeoDataFrame, so YAML, GeoJSON, CSV, KML and GeoPackage inputs
are checked by exactly the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geoevents.events.model import Problem


@dataclass
class RawTable:
    """Events as read, one row each, with what is needed to locate problems."""

    path: Path
    kind: str  # "yaml" | "geojson" | "csv" | "kml" | "gpkg"
    frame: pd.DataFrame  # columns named like YAML event keys; "geometry" may hold
    # GeoJSON dicts, shapely geometries or WKT text
    header: dict[str, Any] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    row_lines: list[int | None] | None = None  # line of each row in the file
    field_lines: list[dict[str, int]] | None = None  # line of each key, per row
    row_labels: list[str] | None = None  # e.g. "features[3]" where lines are unknown
    problems: list[Problem] = field(default_factory=list)
    bad: set[tuple[int, str]] = field(default_factory=set)  # (row, field) already reported

    def locate(self, row: int, name: str | None) -> tuple[int | None, str | None]:
        """Line and field label for a problem in `row` at `name`."""
        line = None
        if self.field_lines is not None and name is not None:
            line = self.field_lines[row].get(name)
        if line is None and self.row_lines is not None:
            line = self.row_lines[row]
        label = name
        if self.row_labels is not None:
            label = f"{self.row_labels[row]}.{name}" if name else self.row_labels[row]
        return line, label

    def problem(self, row: int, name: str | None, severity: str, message: str,
                event_id: str | None = None, candidates: list | None = None) -> None:
        line, label = self.locate(row, name)
        self.problems.append(Problem(str(self.path), line, label, severity, message,
                                     event_id, candidates or []))

    def file_problem(self, line: int | None, name: str | None, severity: str,
                     message: str) -> None:
        self.problems.append(Problem(str(self.path), line, name, severity, message))
