"""The PNG's legend, date, scale bar, labels and sources, checked by content (not pixels)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from geoevents.maps.png import legend_entries, make_png, map_state, png_figure
from story_support import LAYER, event, story_events, story_rows, write_control_folder

# the story plus two events in Kursk itself: the city's name must find room beside their stack
IN_KURSK = [event(f"in-kursk-{k}", "2024-08-23", "2024-08-23", "2024-08-23", 36.1874, 51.7373, kind="deployment")
            for k in (1, 2)]


@pytest.fixture(scope="module")
def control(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_control_folder(tmp_path_factory.mktemp("png") / "front")


@pytest.fixture(scope="module")
def figure(control: Path):
    import matplotlib.pyplot as plt

    fig = png_figure(story_events(story_rows() + IN_KURSK), control=control, title="Story",
                     subtitle="As reported")
    fig.canvas.draw()
    yield fig
    plt.close(fig)


def drawn_texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def test_the_legend_lists_what_the_html_legend_lists(control: Path) -> None:
    labels = [entry.label for entry in legend_entries(map_state(story_events(), control=control))]
    assert labels == [
        "attack (2)", "advance (1)", "control (1)", "casualties (1)", "statement (1)",
        "Outline: solid reported or confirmed, dashed claimed, dotted disputed.",
        "Several events at one place (number: how many)",
        "Estimated place: the circle shows how far off it may be",
        "Events located only to a region (label: how many)",
        "Region named by events (darker: has control claims)",
        "Claimed area: equal-area circle, not a frontline",
        f"Area held — {LAYER['name']} (2024-08-20)",
        f"Source: {LAYER['source']} · {LAYER['credit']}",
        "Gained since 2024-08-10",
        "International border",
        "Region (admin-1) border",
    ]


def test_a_later_story_shows_the_later_snapshot_and_what_was_lost(control: Path) -> None:
    rows = [dict(r, published="2024-09-05") for r in story_rows()]
    labels = [entry.label for entry in legend_entries(map_state(story_events(rows), control=control))]
    assert f"Area held — {LAYER['name']} (2024-09-01)" in labels
    assert "Lost since 2024-08-20" in labels and not [label for label in labels if label.startswith("Gained")]


def test_the_figure_draws_the_legend_date_and_sources(figure, control: Path) -> None:
    state = map_state(story_events(story_rows() + IN_KURSK), control=control)
    entries = [entry.label for entry in legend_entries(state)]
    assert "deployment (2)" in entries
    legend = figure.axes[1].get_legend()
    assert [t.get_text().replace("\n", " ") for t in legend.get_texts()] == entries
    texts = [t.get_text() for t in drawn_texts(figure)]
    assert f"{LAYER['name']}: as of 2024-08-20\nEvents up to 2024-08-25" in texts
    assert figure.axes[0].get_title() == "Story\nAs reported"
    sources = next(t for t in texts if t.startswith("Sources: "))
    assert "Sources: Example Wire." in sources
    assert f"Control layer (2024-08-20): {LAYER['name']}, {LAYER['source']}, {LAYER['credit']}." in sources
    assert "Natural Earth" in sources and "GeoNames" in sources


def test_the_scale_bar_is_geodesic_at_the_maps_latitude(figure) -> None:
    from matplotlib.patches import Rectangle
    from pyproj import Geod

    ax = figure.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_zorder() == 21]
    assert len(bars) == 2
    x0 = min(b.get_x() for b in bars)
    x1 = max(b.get_x() + b.get_width() for b in bars)
    label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
    km = float(label.split()[0])
    south, north = ax.get_ylim()
    mid = (south + north) / 2
    _, _, metres = Geod(ellps="WGS84").inv(x0, mid, x1, mid)
    assert metres / 1000 == pytest.approx(km, rel=0.01)


def test_labels_overlap_neither_each_other_nor_markers(figure) -> None:
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    kinds = {"city", "country", "region", "region-events", "area"}
    placed = [t for t in ax.texts if t.get_gid() in kinds]
    assert {t.get_gid() for t in placed} >= {"city", "country", "region-events", "area"}
    assert {"Kursk Oblast · 2 events", "Kursk"} <= {t.get_text() for t in placed}
    boxes = [t.get_window_extent(renderer) for t in placed]
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            assert not a.overlaps(b), (placed[k].get_text(), b)
    # every marker as a disc: centre in pixels and radius from its size (points², at the figure's dpi)
    discs = [(x, y, math.sqrt(c.get_sizes()[0]) / 2 * figure.dpi / 72) for c in ax.collections
             if c.get_zorder() == 8 for x, y in ax.transData.transform(c.get_offsets())]
    assert len(discs) >= 3  # two stacks and the estimated place's dot
    for box, text in zip(boxes, placed):
        near = [(x, y) for x, y, r in discs
                if box.x0 - r < x < box.x1 + r and box.y0 - r < y < box.y1 + r
                and math.dist((x, y), (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))) < r]
        assert not near, text.get_text()


def test_same_inputs_give_the_same_bytes(control: Path, tmp_path: Path) -> None:
    first = make_png(story_events(), tmp_path / "a.png", control=control, title="T").read_bytes()
    second = make_png(story_events(), tmp_path / "b.png", control=control, title="T").read_bytes()
    assert first == second and first[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
