"""Data is never code, without a browser: the page's JSON, YAML header titles, PNG text.

The DOM checks are in test_maps_injection_browser.py; these cover what does not need
one: the JSON block holds no template opener for any text, every column survives a
build unchanged, `validate` and `map` read a header the same way, and matplotlib draws
user text literally (no mathtext, no LaTeX).
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_support import sample_boundaries, sample_events
from geoevents.cli import main
from geoevents.maps.html import make_map, render_html
from geoevents.maps.payload import script_json
from injection_support import payloads

OPENERS = ("{{", "{%", "{#")


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="geoevents-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def test_script_json_never_writes_a_template_opener_and_round_trips() -> None:
    """Every string of up to 4 characters over the characters that matter, alone and nested."""
    alphabet = '{}%#<>\\"a'
    count = 0
    for size in range(1, 5):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            for data in (text, {"k": text, text: [text, {"n": {}}]}):
                out = script_json(data)
                assert json.loads(out) == data
                assert not any(o in out for o in OPENERS), out
                assert "<" not in out and ">" not in out
                count += 1
    assert count > 13_000


def test_every_column_survives_a_build_with_template_payloads(tmp_path: Path) -> None:
    """Lone openers used to crash the build (TemplateSyntaxError); `exec` used to run."""
    marker = tmp_path / "executed"
    texts = list(payloads(marker).values())
    events = sample_events()
    events = events.iloc[[i % len(events) for i in range(len(texts))]].reset_index(drop=True)
    columns = ("date_text", "place", "claim", "claimant", "actor", "source", "figure_unit", "kind", "status")
    for column in columns:
        events[column] = [f"{column}: {t}" for t in texts]
    page = render_html(make_map(events, boundaries=sample_boundaries(), title=texts[0], subtitle=texts[-1]))
    assert not marker.exists()
    data = data_block(page)
    assert (data["title"], data["subtitle"]) == (texts[0], texts[-1])
    for column in columns:
        stored = data["events"][column]
        assert sorted(stored["v"] if "v" in stored else stored["d"]) == sorted(f"{column}: {t}" for t in texts)


@pytest.mark.parametrize("cdn", [False, True])
def test_no_input_text_is_ever_template_source(cdn: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The structural rule itself: watch every template Jinja compiles while a page is built.

    A marker string sits in every text an input can carry (each column, title, subtitle,
    control controller/source/status); none may appear in any template's source."""
    import datetime as dt

    import geopandas as gpd
    import jinja2
    import shapely

    mark = "INPUT-TEXT-7f3a"
    sources: list[str] = []
    compile_template = jinja2.Environment.compile

    def compile_and_record(self, source, *args, **kwargs):
        sources.append(source if isinstance(source, str) else "")
        return compile_template(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_and_record)
    events = sample_events()
    for column in events.columns.drop("geometry"):
        events[column] = [f"{column} {mark}"] * len(events)
    control = gpd.GeoDataFrame(
        {"date": [dt.date(2024, 8, 10), dt.date(2024, 8, 20)], "controller": [f"c {mark}"] * 2,
         "source": [f"s {mark}"] * 2, "status": [f"st {mark}"] * 2},
        geometry=[shapely.box(35.0, 51.1, 35.4, 51.4), shapely.box(34.9, 51.1, 35.6, 51.5)], crs=4326)
    page = render_html(make_map(events, control=control, boundaries=sample_boundaries(), cdn=cdn,
                                title=f"t {mark}", subtitle=f"sub {mark}"))
    assert page.count(mark) > 10  # the text is in the page ...
    assert sources  # ... folium did compile templates (the map shell, scale bar) ...
    assert not [s for s in sources if mark in s]  # ... and none of them held input text


def yaml_file(path: Path, title: str) -> Path:
    path.write_text(f"title: {title}\nsource: Wire\npublished: 2025-02-07\nevents:\n  - id: a\n"
                    "    date: 2024-08-06\n    place: Sudzha\n    kind: attack\n    claimant: X\n"
                    "    claim: y\n    status: reported\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("title", ["2025-02-07", "2025-02-07T10:00:00", "2025-02"])
def test_header_title_that_validates_is_the_map_title(title: str, tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "ev.yaml", title)
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["map", str(path), "-o", str(tmp_path / "ev.html"), "--png"])
    assert result.exit_code == 0 and result.exception is None, (result.output, result.exception)
    assert data_block((tmp_path / "ev.html").read_text(encoding="utf-8"))["title"] == title


@pytest.mark.parametrize("title", ["42", "4.5", "12:30", "true", "null", "[a, b]", "{a: 1}"])
def test_header_title_that_is_not_text_is_the_same_located_error_in_validate_and_map(title: str,
                                                                                     tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "ev.yaml", title)
    checked = CliRunner().invoke(main, ["validate", str(path)])
    mapped = CliRunner().invoke(main, ["map", str(path), "-o", str(tmp_path / "ev.html")])
    built = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "built")])
    where = f"{path}:1:title: error: must be string"
    assert checked.exit_code == 1 and where in checked.output
    for result in (mapped, built):
        assert result.exit_code == 1 and where in result.output and "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.yaml"]


# ---- PNG: matplotlib would read $...$ as mathtext and a malformed one as an error ----

MATH = ("$\\frac{1}{2}$", "a lone $ sign", "$\\frac{1}{$ broken", "$x^2$ and $y$", "\\$ escaped $\\alpha$")


def math_events():
    events = sample_events()
    events["source"] = [f"src {MATH[i % len(MATH)]}" for i in range(len(events))]
    events["kind"] = [f"kind {MATH[i % len(MATH)]}" for i in range(len(events))]
    return events


def math_boundaries():
    regions = sample_boundaries()
    regions["admin1_name"] = [f"{name} {MATH[i]}" for i, name in enumerate(regions["admin1_name"])]
    return regions


def test_png_draws_every_text_literally() -> None:
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from geoevents.maps.png import png_figure

    title, subtitle = "Title $\\frac{1}{2}$", "sub $\\alpha$"
    fig = png_figure(math_events(), boundaries=math_boundaries(), title=title, subtitle=subtitle)
    try:
        fig.canvas.draw()  # a mathtext parse would fail here on the malformed ones
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        assert texts and all(not t.get_parse_math() and not t.get_usetex() for t in texts)
        drawn = {t.get_text() for t in texts}
        assert f"{title}\n{subtitle}" in drawn
        assert {f"kind {m} (1)" for m in MATH} <= drawn  # legend entries
        assert drawn & set(math_boundaries()["admin1_name"])  # region labels
        credit = next(t for t in drawn if t.startswith("Sources: "))
        assert all(f"src {m}" in credit for m in MATH)
        # drawn as the characters themselves: as wide as a literal text, narrower than mathtext
        ax_title = fig.axes[0].title
        width = ax_title.get_window_extent().width
        reference = plt.figure(dpi=fig.dpi)
        try:
            literal = reference.text(0, 0, ax_title.get_text(), fontsize=12, parse_math=False)
            maths = reference.text(0, 0.5, ax_title.get_text(), fontsize=12, parse_math=True)
            reference.canvas.draw()
            assert abs(width - literal.get_window_extent().width) < 0.5
            assert abs(width - maths.get_window_extent().width) > 5
        finally:
            plt.close(reference)
    finally:
        plt.close(fig)
    assert matplotlib.rcParams["text.parse_math"] is True  # the setting stays inside the PNG code


def test_png_never_hands_text_to_latex_even_when_the_user_asks_for_usetex(tmp_path: Path) -> None:
    import matplotlib

    from geoevents.maps.png import make_png

    with matplotlib.rc_context({"text.usetex": True}):
        out = make_png(math_events(), tmp_path / "m.png", boundaries=math_boundaries(),
                       title="$\\frac{1}{$", subtitle="$")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png"]


def test_map_png_option_with_dollar_signs_in_every_text(tmp_path: Path) -> None:
    events = tmp_path / "ev.csv"
    events.write_text("id,date,place,kind,claimant,claim,status,source,published,latitude,longitude\n"
                      'a,2024-08-06,$\\frac{1}{$,attack,$x,"$\\frac{1}{2}$",reported,"S $ and $\\alpha",'
                      "2024-08-07,51.19,35.27\n", encoding="utf-8")
    out = tmp_path / "ev.html"
    result = CliRunner().invoke(main, ["map", str(events), "-o", str(out), "--png",
                                       "--title", "$\\frac{1}{2}$ and $", "--subtitle", "$\\frac{1}{$"])
    assert result.exit_code == 0 and result.exception is None, (result.output, result.exception)
    assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
