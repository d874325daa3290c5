"""Relative and absolute event dates resolve against the publication day with precision."""

from __future__ import annotations

import datetime as dt

import pytest

from geoevents.events.dates import DateError, parse_date, resolve_after

P = dt.date(2025, 2, 7)  # a Friday: the seed story's publication day


@pytest.mark.parametrize("phrase, date, precision, start, end", [
    ("six months ago", "2024-08", "month", "2024-08-01", "2024-08-31"),
    ("on Thursday", "2025-02-06", "day", "2025-02-06", "2025-02-06"),
    ("on Wednesday", "2025-02-05", "day", "2025-02-05", "2025-02-05"),
    ("last Friday", "2025-01-31", "day", "2025-01-31", "2025-01-31"),
    ("last week", "2025-W05", "week", "2025-01-27", "2025-02-02"),
    ("two weeks ago", "2025-W04", "week", "2025-01-20", "2025-01-26"),
    ("since May", "2024-05-01/2025-02-07", "range", "2024-05-01", "2025-02-07"),
    ("since February", "2025-02-01/2025-02-07", "range", "2025-02-01", "2025-02-07"),
    ("in May", "2024-05", "month", "2024-05-01", "2024-05-31"),
    ("last month", "2025-01", "month", "2025-01-01", "2025-01-31"),
    ("a year ago", "2024", "year", "2024-01-01", "2024-12-31"),
    ("yesterday", "2025-02-06", "day", "2025-02-06", "2025-02-06"),
    ("3 days ago", "2025-02-04", "day", "2025-02-04", "2025-02-04"),
    ("in recent months", "2024-11-07/2025-02-07", "range", "2024-11-07", "2025-02-07"),
    ("earlier this month", "2025-02-01/2025-02-07", "range", "2025-02-01", "2025-02-07"),
])
def test_relative_phrases_resolve_against_publication(phrase, date, precision, start, end):
    result = parse_date(phrase, P)
    assert (result.date, result.precision) == (date, precision)
    assert (result.start.isoformat(), result.end.isoformat()) == (start, end)
    assert result.text == phrase


@pytest.mark.parametrize("value, date, precision", [
    ("2024-08-06", "2024-08-06", "day"),
    ("2024-08", "2024-08", "month"),
    ("2024", "2024", "year"),
    (2024, "2024", "year"),
    ("2024-W32", "2024-W32", "week"),
    ("2024-08-06/2025-02-07", "2024-08-06/2025-02-07", "range"),
    ("06 August 2024", "2024-08-06", "day"),
    (dt.date(2024, 8, 6), "2024-08-06", "day"),
])
def test_absolute_dates_keep_their_precision(value, date, precision):
    result = parse_date(value, P)
    assert (result.date, result.precision, result.text) == (date, precision, None)


def test_since_a_month_later_in_the_year_means_last_year():
    # published in March: "since May" is May of the previous year
    assert parse_date("since May", dt.date(2025, 3, 1)).date == "2024-05-01/2025-03-01"
    # published in May: this May
    assert parse_date("since May", dt.date(2025, 5, 20)).date == "2025-05-01/2025-05-20"


def test_phrases_relative_to_another_event():
    start = parse_date("six months ago", P)
    later = resolve_after("two weeks after", start)
    assert later.date == "2024-08-15/2024-09-14" and later.text == "two weeks after"
    day = resolve_after("two weeks after", parse_date("2024-08-06", P))
    assert (day.date, day.precision) == ("2024-08-20", "day")
    assert resolve_after("in the initial weeks", start).date == "2024-08-01/2024-08-29"


@pytest.mark.parametrize("value, message", [
    ("2024-02-30", "not a real calendar day"),
    ("2023-02-29", "not a real calendar day"),
    ("2024-13", "no month 13"),
    ("2024-W54", "not a real ISO week"),
    ("2025-03-01/2024-01-01", "ends before it starts"),
    ("the other day", "not an ISO 8601 date or a known relative phrase"),
    ("two weeks after", "add `after: <event id>`"),
    ("", "empty"),
    (True, "must be text"),
])
def test_impossible_or_unknown_dates_are_refused(value, message):
    with pytest.raises(DateError, match=message):
        parse_date(value, P)


def test_relative_date_without_publication_is_an_error():
    with pytest.raises(DateError, match="needs a `published` date"):
        parse_date("six months ago", None)
