"""Hostile text for the map tests: template-injection and markup payloads, and the inputs
(event files in each format, control layers) that carry them into `geoevents map`.

Every payload must come out of the map exactly as written. If any of it reached a
Jinja2 template it would show changed (`{{ 6*7 }}` as 42, a comment gone), crash the
build (a lone `{{`), or, for the `exec` payload, create a file on disk.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

# the fields a person can write freely in an event file (YAML, CSV and GeoJSON alike)
FILE_TEXT_FIELDS = ("place", "claim", "claimant", "actor", "source", "figure_unit", "date_text")
PUBLISHED = "2024-08-07"


def payloads(marker: Path) -> dict[str, str]:
    """One payload per family; `exec` would create `marker` if a template ever ran it."""
    return {
        "expr": "{{ 6*7 }} and {{ '%d' % 7 }}",
        "stmt": "{% if true %}IF{% endif %}{% set x = 1 %}",
        "comment": "before {# hidden #} after",
        "lone": "lone {{ and {% and {# openers",
        "script": "</script><script>window.__pwned='script'</script>",
        "img": "<img src=x onerror=\"window.__pwned='img'\">",
        "exec": "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}",
    }


def combined(marker: Path, label: str) -> str:
    """Every payload in one line, for titles and names that hold one text each."""
    return f"{label}: " + " | ".join(payloads(marker).values())


def value(field: str, payload: str) -> str:
    """The text a field carries: its name first, so a test can tell which field shows what."""
    return f"{field}: {payload}"


def source_url(family: str) -> str:
    return f"https://example.org/{family}/{{{{7*7}}}}"


def hostile_events(marker: Path) -> list[dict[str, Any]]:
    """One event per payload family, every free-text field carrying that payload."""
    events = []
    for number, (family, payload) in enumerate(payloads(marker).items()):
        event: dict[str, Any] = {
            "id": f"ev-{family}", "date": "2024-08-06", "kind": "attack", "status": "reported",
            "published": PUBLISHED, "latitude": 51.0 + 0.15 * number, "longitude": 35.0 + 0.25 * number,
            "figure": 5, "source_url": source_url(family),
        }
        event |= {field: value(field, payload) for field in FILE_TEXT_FIELDS}
        events.append(event)
    return events


def write_event_file(path: Path, events: list[dict[str, Any]], header: dict[str, Any] | None = None) -> Path:
    """The events as a YAML, CSV or GeoJSON event file (chosen by the suffix)."""
    import yaml

    suffix = path.suffix.lower()
    if suffix == ".yaml":
        path.write_text(yaml.safe_dump({**(header or {}), "events": events}, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    elif suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(events[0]))
            writer.writeheader()
            writer.writerows(events)
    elif suffix == ".geojson":
        features = [{"type": "Feature",
                     "properties": {k: v for k, v in e.items() if k not in ("latitude", "longitude")},
                     "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]}}
                    for e in events]
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    else:
        raise ValueError(f"no writer for {suffix}")
    return path


def write_control_snapshot(path: Path, box: tuple[float, float, float, float],
                           properties: dict[str, Any]) -> Path:
    """One control polygon (a box) with the given properties, as a GeoJSON file."""
    x0, y0, x1, y1 = box
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    feature = {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path
