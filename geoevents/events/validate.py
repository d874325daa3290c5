"""Validation of an event file as a report: every problem, located, counted.

`read_events` raises on errors; people fixing a file need all of them at once, in
file:line:field form (or JSON for editors and CI), so validation never stops early.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoevents.events.model import Problem


def validate_events(path: str | Path, *, geocoder: Any = None, regions: Any = None,
                    defaults: dict[str, Any] | None = None) -> list[Problem]:
    """Every problem in an event file (errors and warnings), in file order."""
    from geoevents.events.read import load_events

    try:
        _, problems = load_events(path, geocoder=geocoder, regions=regions, defaults=defaults)
    except (ValueError, FileNotFoundError) as error:
        return [Problem(str(path), None, None, "error", str(error))]
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def validate_file(path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """A JSON-ready report: file, event count, error/warning counts and problems."""
    from geoevents.events.read import load_events

    try:
        gdf, problems = load_events(path, **kwargs)
        count = len(gdf)
    except (ValueError, FileNotFoundError) as error:
        problems, count = [Problem(str(path), None, None, "error", str(error))], 0
    problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
    return {
        "file": str(path),
        "events": count,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [{**p.to_dict(), "text": str(p)} for p in problems],
    }
