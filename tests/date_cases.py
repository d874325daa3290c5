"""Expected resolved dates, spelt out: (date, precision, first day, last day), and the edge
publication days the date tests use (a Friday, a Monday that starts a year, a Sunday, a
month start, New Year's Day mid-week, a leap day)."""

from __future__ import annotations

import datetime as dt

FRI, MON, SUN = dt.date(2025, 2, 7), dt.date(2024, 1, 1), dt.date(2025, 3, 2)
FIRST, NEWYEAR, LEAP = dt.date(2025, 3, 1), dt.date(2025, 1, 1), dt.date(2024, 2, 29)


def day(value: str) -> tuple[str, str, str, str]:
    return value, "day", value, value


def span(start: str, end: str) -> tuple[str, str, str, str]:
    return f"{start}/{end}", "range", start, end


def week(name: str, start: str, end: str) -> tuple[str, str, str, str]:
    return name, "week", start, end


def month(name: str, start: str, end: str) -> tuple[str, str, str, str]:
    return name, "month", start, end


def year(name: str) -> tuple[str, str, str, str]:
    return name, "year", f"{name}-01-01", f"{name}-12-31"
