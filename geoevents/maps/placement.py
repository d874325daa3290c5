"""Label placement for the PNG: greedy, by priority, with collision boxes in display space.

Why not adjustText: it pushes every label until overlaps shrink, but never drops
one, so a crowded map still gets labels over markers; and its result depends on
iteration. Here each label tries a short list of positions around its anchor (the
same idea as the HTML map's labels.js); the first position whose box is inside the
map and clear of markers and of labels already placed wins, and a label with no free
position is left out. Same inputs, same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels

# offsets in points (dx, dy) with the text alignment that keeps the label off its anchor
CENTRED = [(0, 0, "center", "center"), (0, 11, "center", "center"), (0, -11, "center", "center"),
           (0, 22, "center", "center"), (0, -22, "center", "center")]
BESIDE = [(5, 0, "left", "center"), (-5, 0, "right", "center"), (0, 5, "center", "bottom"),
          (0, -5, "center", "top"), (5, 4, "left", "bottom"), (5, -4, "left", "top"),
          # clear of a marker on the same spot (a story's event in the city itself)
          (10, 0, "left", "center"), (-10, 0, "right", "center"), (0, 10, "center", "bottom")]
BELOW_THEN_ABOVE = [(0, -4, "center", "top"), (0, -16, "center", "top"), (0, -28, "center", "top")]


@dataclass
class LabelSpec:
    """One label: its text, anchor spots (data coordinates, tried in order) and look."""

    text: str
    anchors: list[tuple[float, float]]
    priority: float
    candidates: list[tuple[float, float, str, str]] = field(default_factory=lambda: list(CENTRED))
    style: dict[str, Any] = field(default_factory=dict)
    kind: str = "label"
    pad: float = 0.0  # pixels around the text that its box (a drawn frame) takes as well


def overlaps(box: Box, boxes: list[Box]) -> bool:
    return any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in boxes)


def place_labels(ax: Any, specs: list[LabelSpec], obstacles: list[Box], gap: float = 2.0) -> list[Any]:
    """Add the labels that fit to `ax` (highest priority first); returns the Text artists placed.

    The axes' limits and position must be final: boxes are measured in display pixels."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    inside = (frame.x0, frame.y0, frame.x1, frame.y1)
    taken = list(obstacles)
    placed = []
    for spec in sorted(specs, key=lambda s: -s.priority):
        text = _first_fit(ax, spec, renderer, inside, taken, gap)
        if text is not None:
            placed.append(text)
    return placed


def _first_fit(ax: Any, spec: LabelSpec, renderer: Any, inside: Box, taken: list[Box], gap: float) -> Any:
    for x, y in spec.anchors:
        for dx, dy, ha, va in spec.candidates:
            text = ax.annotate(spec.text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                               annotation_clip=False, **spec.style)
            extent = text.get_window_extent(renderer)
            room = gap + spec.pad
            box = (extent.x0 - room, extent.y0 - room, extent.x1 + room, extent.y1 + room)
            fits = box[0] >= inside[0] and box[1] >= inside[1] and box[2] <= inside[2] and box[3] <= inside[3]
            if fits and not overlaps(box, taken):
                taken.append(box)
                text.set_gid(spec.kind)
                return text
            text.remove()
    return None
