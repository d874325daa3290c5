"""The event model: column names, allowed values and the published JSON Schema.

One place defines the columns so that every reader and writer (YAML, GeoJSON, CSV,
GeoPackage, KML) produces and expects exactly the same table.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

KINDS = ("attack", "advance", "withdrawal", "control", "casualties", "deployment",
         "statement", "other")
STATUSES = ("claimed", "reported", "confirmed", "disputed")
DATE_PRECISIONS = ("day", "week", "month", "year", "range")
GEO_PRECISIONS = ("exact", "locality", "admin1", "country")

# column -> kind of value ("str", "float", "int", "bool"); order is the output order.
COLUMNS: dict[str, str] = {
    "id": "str",
    "date": "str",
    "date_precision": "str",
    "date_start": "str",
    "date_end": "str",
    "date_text": "str",
    "place": "str",
    "place_id": "int",
    "geo_precision": "str",
    "country_code": "str",
    "admin1_code": "str",
    "admin1_name": "str",
    "latitude": "float",
    "longitude": "float",
    "kind": "str",
    "actor": "str",
    "claimant": "str",
    "claim": "str",
    "figure": "float",
    "figure_unit": "str",
    "approximate": "bool",
    "status": "str",
    "source": "str",
    "source_url": "str",
    "published": "str",
}

# Keys a person may write for one event in a YAML file (besides the header defaults).
EVENT_KEYS = frozenset({
    "id", "date", "after", "place", "country", "within", "near", "latitude", "longitude",
    "geometry", "kind", "actor", "claimant", "claim", "figure", "figure_unit",
    "approximate", "status", "source", "source_url", "published",
    # drafts from `geoevents extract` (kept out of the loaded frame):
    "date_text", "review", "evidence",
})
HEADER_KEYS = frozenset({"source", "source_url", "published", "title", "claimant",
                         "status", "kind", "actor", "country", "within", "description",
                         "events"})

MAX_TEXT = 2000  # characters; longer values are almost always pasted articles


@dataclass
class Problem:
    """One thing wrong (or doubtful) in an event file, located for the person fixing it."""

    file: str
    line: int | None
    field: str | None
    severity: str  # "error" | "warning"
    message: str
    event_id: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line if self.line is not None else '-'}"
        if self.field:
            where += f":{self.field}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.candidates:
            names = "; ".join(_describe_candidate(c) for c in self.candidates[:5])
            text += f" (candidates: {names})"
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _describe_candidate(candidate: dict[str, Any]) -> str:
    bits = [str(candidate.get("name"))]
    region = candidate.get("admin1_code") or candidate.get("country_code")
    if region:
        bits.append(str(region))
    if candidate.get("latitude") is not None:
        bits.append(f"{candidate['latitude']:.4f},{candidate['longitude']:.4f}")
    return " ".join(bits)


class EventFileError(ValueError):
    """Raised when an event file has errors; `.problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(str(p) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s) in event file:\n{shown}{more}")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of a YAML/JSON event file, as shipped in the package."""
    text = resources.files("geoevents.events").joinpath("event-file.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)
