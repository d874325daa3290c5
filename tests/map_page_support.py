"""Reading a map page in Chromium the way a reader sees it: counts, labels, markers, the date.

Shared by the browser tests of the basemap, the time control, the symbols and the control
layers. Everything is measured from the DOM (bounding rectangles in screen pixels).
"""

from __future__ import annotations

from typing import Any

VISIBLE_LABELS = """() => [...document.querySelectorAll('.ge-maplabel')]
  .filter(n => n.style.display === 'block')
  .map(n => { const r = n.getBoundingClientRect();
              return {text: n.textContent, cls: n.className, box: [r.left, r.top, r.right, r.bottom]}; })"""
MARKER_BOXES = """() => [...document.querySelectorAll('path.ge-event, .ge-stack, .ge-cluster')]
  .map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def count(page: Any, selector: str) -> int:
    return page.evaluate("(s) => document.querySelectorAll(s).length", selector)


def show_date(page: Any, day: str, window: int | None = None) -> None:
    """Move the map to a date through its URL fragment (as a shared link would)."""
    fragment = f"#date={day}" + (f"&window={window}" if window else "")
    page.evaluate("(f) => { location.hash = f; }", fragment)
    page.wait_for_function("(d) => window.geoeventsState.day === d", arg=day)


def set_zoom(page: Any, zoom: int) -> None:
    page.evaluate("(z) => geoeventsLeafletMap.setZoom(z, {animate: false})", zoom)
    page.wait_for_function("(z) => window.geoeventsState.drawnAtZoom === z", arg=zoom)


def visible_labels(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(VISIBLE_LABELS)


def marker_boxes(page: Any) -> list[list[float]]:
    return page.evaluate(MARKER_BOXES)


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def collisions(page: Any) -> list[tuple[str, str]]:
    """Pairs (label, label or 'marker') whose boxes overlap on screen: should be none."""
    labels = visible_labels(page)
    found = []
    for k, a in enumerate(labels):
        found += [(a["text"], b["text"]) for b in labels[k + 1:] if overlap(a["box"], b["box"])]
        found += [(a["text"], "marker") for box in marker_boxes(page) if overlap(a["box"], box)]
    return found
