"""Rule modules of `geoevents extract` that need no gazetteer: sentences, figures, dates, claimants."""

from __future__ import annotations

import datetime as dt

import pytest

from geoevents.extract.claimants import attribute, find_people
from geoevents.extract.dates import find_dates
from geoevents.extract.figures import find_figures
from geoevents.extract.html_text import html_to_text
from geoevents.extract.sentences import split_sentences

PUBLISHED = dt.date(2025, 2, 7)  # a Friday


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "KHARKIV — Gen. Oleksandr Tarnavskyi spoke at 9 a.m. on Monday. The U.S. sent aid.\n\n“We hold.” He left."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "KHARKIV — Gen. Oleksandr Tarnavskyi spoke at 9 a.m. on Monday.",
        "The U.S. sent aid.",
        "“We hold.”",
        "He left.",
    ]
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]


def test_markdown_image_lines_are_not_sentences() -> None:
    text = "First line here.\n![](https://example.org/a.jpg)\nSecond line."
    assert [s.text for s in split_sentences(text)] == ["First line here.", "Second line."]


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "approximate", "qualifier"),
    [
        ("Moscow lost some 40,000 troops there", 40000, "troops", True, "about"),
        ("with more than 16,000 killed in action", 16000, "killed", True, "at least"),
        ("and another 900 captured as prisoners", 900, "captured", False, "additional"),
        ("brought in some 12,000 North Korean troops", 12000, "troops", True, "about"),
        ("after losing some 4,000 dead and wounded", 4000, "casualties", True, "about"),
        ("still holds hundreds of square kilometers", 200, "km2", True, "at least"),
        ("nearly 1.5 million people fled", 1_500_000, "people", True, "at most"),
        ("seized 25 km² near the town", 25, "km2", False, None),
        ("captured two villages", 2, "villages", False, None),
    ],
)
def test_figures_with_units_and_hedges(phrase, value, unit, approximate, qualifier) -> None:
    figures = find_figures(phrase)
    assert len(figures) == 1, figures
    figure = figures[0]
    assert (figure.value, figure.unit, figure.approximate, figure.qualifier) == (value, unit, approximate, qualifier)
    assert phrase[figure.start:figure.end] == figure.text


def test_fraction_of_an_area_gives_base_and_share() -> None:
    figures = find_figures("it lost about half of the 1,000 square kilometers it seized", offset=100)
    by_value = {f.value: f for f in figures}
    assert set(by_value) == {1000, 500}
    assert by_value[1000].unit == by_value[500].unit == "km2"
    assert by_value[500].approximate and by_value[500].fraction == 0.5 and by_value[500].base_value == 1000
    assert by_value[1000].start == 100 + len("it lost about half of the ")


def test_years_are_not_counts() -> None:
    assert find_figures("in 2024 troops moved east") == []


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("Six months ago, forces crossed", "2024-08", "month"),
        ("which on Thursday said", "2025-02-06", "day"),
        ("told reporters on Wednesday.", "2025-02-05", "day"),
        ("an offensive that started in May.", "2024-05", "month"),
        ("fighting since May", "2024-05-01/2025-02-07", "range"),
        ("on Friday", "2025-02-07", "day"),
        ("two days ago", "2025-02-05", "day"),
        ("last week", "2025-W05", "week"),
        ("on 6 August 2024", "2024-08-06", "day"),
        ("since March 2022", "2022-03-01/2025-02-07", "range"),
        ("since early January", "2025-01-01/2025-02-07", "range"),
        ("three weeks ago", "2025-W03", "week"),
        ("last month", "2025-01", "month"),
    ],
)
def test_relative_dates_resolve_against_publication(text, date, precision) -> None:
    found = [d for d in find_dates(text, PUBLISHED) if d.date]
    assert len(found) == 1, found
    assert (found[0].date, found[0].precision) == (date, precision)
    assert text[found[0].start:found[0].end] == found[0].text


def test_initial_weeks_need_an_anchor() -> None:
    unanchored = find_dates("In the initial weeks there was little sign", PUBLISHED)
    assert unanchored[0].date is None
    anchored = find_dates("In the initial weeks there was little sign", PUBLISHED, anchor=dt.date(2024, 8, 6))
    assert anchored[0].precision == "range"
    assert anchored[0].date_start == "2024-08-06" and anchored[0].date_end == "2024-09-03"


def test_lowercase_may_is_not_a_month() -> None:
    assert [d for d in find_dates("troops may be in position", PUBLISHED) if d.date] == []


STORY = (
    "Regional governor Ivan Fedorov said on Monday that 12 people were wounded in the city.\n"
    "“The strike hit a school,” he told reporters. “Rescuers are still working.”\n"
    "“We need more air defence.”\n"
    "Kateryna Stepanenko, an analyst at the Institute for the Study of War, said the attack was planned. "
    "The General Staff said 300 soldiers had been killed.\n"
    "“This is a signal,” the analyst added.\n"
    "The town was quiet on Tuesday.\n"
)


def test_claimants_through_pronouns_quotes_and_roles() -> None:
    sentences = split_sentences(STORY)
    people = find_people(STORY)
    assert [p.name for p in people] == ["Ivan Fedorov", "Kateryna Stepanenko"]
    claimants = [a.claimant for a in attribute(STORY, sentences, people)]
    assert claimants == [
        "Ivan Fedorov",  # explicit subject
        "Ivan Fedorov",  # "he told reporters" -> last person named
        "Ivan Fedorov",  # rest of the quotation
        "Ivan Fedorov",  # quote-only paragraph carries the speaker
        "Kateryna Stepanenko",
        "General Staff",
        "Kateryna Stepanenko",  # "the analyst" -> the person described as an analyst
        None,  # the story's own voice
    ]


def test_relative_clause_and_inverted_attribution() -> None:
    text = ("His view is shared by the Ukrainian General Staff, which on Thursday said 500 troops were lost.\n"
            "“We are holding,” said Colonel Petro Ivanenko.\n")
    sentences = split_sentences(text)
    claimants = [a.claimant for a in attribute(text, sentences, find_people(text))]
    assert claimants == ["Ukrainian General Staff", "Petro Ivanenko"]


def test_html_is_stripped_to_paragraphs() -> None:
    html = ("<html><head><meta property='article:published_time' content='2025-02-07T10:00:00Z'>"
            "<script>var x = 'Kyiv';</script></head><body><h1>Title &amp; more</h1>"
            "<p>KYIV — First <b>paragraph</b>.</p><p>Second.</p></body></html>")
    text, meta = html_to_text(html)
    assert text == "Title & more\nKYIV — First paragraph.\nSecond.\n"
    assert meta["article:published_time"].startswith("2025-02-07")
