"""Event dates: ISO 8601 with an explicit precision, and relative phrases resolved
against the publication day (or another event), keeping the phrase.

News rarely gives a calendar date ("six months ago", "on Thursday", "since May"); a map
needs one. Resolving the phrase once, at load time, and keeping both the phrase and the
precision lets a reader check our reading of the text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["EventDate", "DateError", "parse_date", "resolve_after"]


class DateError(ValueError):
    """A date that cannot be read or cannot exist; the message says which and why."""


@dataclass(frozen=True)
class EventDate:
    """A resolved date: ISO text, precision, the first and last day covered, the phrase."""

    date: str
    precision: str  # day | week | month | year | range
    start: dt.date
    end: dt.date
    text: str | None = None


NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a few": 3, "a couple of": 2, "several": 3,
}
_NUMBER = r"(?P<n>\d+|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^(\d{4})$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(?P<day>\d{1,2})\s+" + _MONTH + r"\s+(?P<year>\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$")
_MONTH_YEAR = re.compile(r"^" + _MONTH + r"\s+(?P<year>\d{4})$")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value: dt.date, text: str | None = None) -> EventDate:
    return EventDate(value.isoformat(), "day", value, value, text)


def _week(value: dt.date, text: str | None = None) -> EventDate:
    year, week, weekday = value.isocalendar()
    start = value - dt.timedelta(days=weekday - 1)
    return EventDate(f"{year}-W{week:02d}", "week", start, start + dt.timedelta(days=6), text)


def _month(year: int, month: int, text: str | None = None) -> EventDate:
    return EventDate(f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1),
                     _month_end(year, month), text)


def _year(year: int, text: str | None = None) -> EventDate:
    return EventDate(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31), text)


def _range(start: dt.date, end: dt.date, text: str | None = None) -> EventDate:
    if end < start:
        raise DateError(f"the range ends ({end}) before it starts ({start})")
    return EventDate(f"{start.isoformat()}/{end.isoformat()}", "range", start, end, text)


def _checked_day(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise DateError(f"{raw!r} is not a real calendar day ({error})") from None


def _absolute(raw: str) -> EventDate | None:
    """Read an ISO 8601 (or common written) absolute date, or None if it is not one."""
    if m := _ISO_DAY.match(raw):
        return _day(_checked_day(int(m[1]), int(m[2]), int(m[3]), raw))
    if m := _ISO_MONTH.match(raw):
        if not 1 <= int(m[2]) <= 12:
            raise DateError(f"{raw!r} has no month {m[2]}")
        return _month(int(m[1]), int(m[2]))
    if m := _ISO_YEAR.match(raw):
        return _year(int(m[1]))
    if m := _ISO_WEEK.match(raw):
        try:
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise DateError(f"{raw!r} is not a real ISO week") from None
        return _week(monday)
    lowered = raw.lower()
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if m := pattern.match(lowered):
            return _day(_checked_day(int(m["year"]), MONTHS[m["month"]], int(m["day"]), raw))
    if m := _MONTH_YEAR.match(lowered):
        return _month(int(m["year"]), MONTHS[m["month"]])
    if "/" in raw:
        first, _, second = raw.partition("/")
        start = _absolute(first.strip())
        end = _absolute(second.strip())
        if start is None or end is None:
            raise DateError(f"{raw!r}: both ends of a range must be ISO dates")
        if end.end < start.start:
            raise DateError(f"the range {raw!r} ends before it starts")
        return EventDate(f"{start.date}/{end.date}", "range", start.start, end.end)
    return None


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text]


def _latest_month(month: int, published: dt.date, *, strictly_before: bool) -> int:
    """Year of the latest given month on (or strictly before) the publication month."""
    if month < published.month or (month == published.month and not strictly_before):
        return published.year
    return published.year - 1


def _relative(phrase: str, published: dt.date) -> EventDate | None:
    """Resolve a phrase relative to the publication day, or None if not recognised."""
    p = published
    text = re.sub(r"\s+", " ", phrase.strip().lower()).rstrip(".")
    text = re.sub(r"^(on|about|around|some|roughly|nearly|almost|over) ", "", text)
    if text == "today":
        return _day(p, phrase)
    if text == "yesterday":
        return _day(p - dt.timedelta(days=1), phrase)
    if m := re.fullmatch(r"(?P<last>last |this past |past )?" + _WEEKDAY, text):
        back = (p.weekday() - WEEKDAYS[m["weekday"]]) % 7
        if back == 0 and m["last"]:
            back = 7
        return _day(p - dt.timedelta(days=back), phrase)
    if m := re.fullmatch(_NUMBER + r" (?P<unit>day|week|month|year)s? ago", text):
        n, unit = _count(m["n"]), m["unit"]
        if unit == "day":
            return _day(p - dt.timedelta(days=n), phrase)
        if unit == "week":
            return _week(p - dt.timedelta(weeks=n), phrase)
        if unit == "month":
            back = _add_months(p, -n)
            return _month(back.year, back.month, phrase)
        return _year(p.year - n, phrase)
    if m := re.fullmatch(r"(?P<which>this|last|past) (?P<unit>week|month|year)", text):
        shift = 0 if m["which"] == "this" else 1
        if m["unit"] == "week":
            return _week(p - dt.timedelta(weeks=shift), phrase)
        if m["unit"] == "month":
            back = _add_months(p, -shift)
            return _month(back.year, back.month, phrase)
        return _year(p.year - shift, phrase)
    if m := re.fullmatch(r"earlier this (?P<unit>week|month|year)", text):
        start = {"week": p - dt.timedelta(days=p.weekday()), "month": p.replace(day=1),
                 "year": p.replace(month=1, day=1)}[m["unit"]]
        return _range(start, p, phrase)
    if m := re.fullmatch(r"(in |over |during )?(the )?(recent|past|last) (?:" + _NUMBER
                         + r" )?(?P<unit>days|weeks|months)", text):
        n = _count(m["n"]) if m["n"] else {"days": 7, "weeks": 4, "months": 3}[m["unit"]]
        if m["unit"] == "days":
            start = p - dt.timedelta(days=n)
        elif m["unit"] == "weeks":
            start = p - dt.timedelta(weeks=n)
        else:
            start = _add_months(p, -n)
        return _range(start, p, phrase)
    if m := re.fullmatch(r"(in|since|from) " + _MONTH + r"(?: (?P<day>\d{1,2}))?(?:,? (?P<year>\d{4}))?",
                         text):
        month = MONTHS[m["month"]]
        since = m[1] != "in"
        year = int(m["year"]) if m["year"] else _latest_month(month, p, strictly_before=False)
        if since and not m["year"] and month == p.month and m["day"] and int(m["day"]) > p.day:
            year -= 1
        if since:
            start = _checked_day(year, month, int(m["day"] or 1), phrase)
            return _range(start, p, phrase)
        if m["day"]:
            return _day(_checked_day(year, month, int(m["day"]), phrase), phrase)
        return _month(year, month, phrase)
    if m := re.fullmatch(r"(since|from) (?P<iso>\d{4}(-\d{2}(-\d{2})?)?)", text):
        start = _absolute(m["iso"])
        assert start is not None
        return _range(start.start, p, phrase)
    if m := re.fullmatch(r"(in|since) (?P<year>\d{4})", text):
        year = int(m["year"])
        return _range(dt.date(year, 1, 1), p, phrase) if m[1] == "since" else _year(year, phrase)
    return None


_AFTER = re.compile(_NUMBER + r" (?P<unit>day|week|month)s? (after|later)")
_INITIAL = re.compile(r"(in |during |within )?(the )?(initial|first|opening|early) "
                      r"(?P<unit>days|weeks|months|day|week|month)")


def is_anchored(phrase: str) -> bool:
    """True when a phrase is relative to another event ("two weeks after")."""
    text = re.sub(r"\s+", " ", phrase.strip().lower()).rstrip(".")
    return bool(_AFTER.fullmatch(text) or _INITIAL.fullmatch(text))


def resolve_after(phrase: str, anchor: EventDate) -> EventDate:
    """Resolve a phrase relative to another event's date (its `after:` anchor)."""
    text = re.sub(r"\s+", " ", phrase.strip().lower()).rstrip(".")
    if m := _AFTER.fullmatch(text):
        n = _count(m["n"])
        if m["unit"] == "month":
            start, end = _add_months(anchor.start, n), _add_months(anchor.end, n)
        else:
            delta = dt.timedelta(days=n * (7 if m["unit"] == "week" else 1))
            start, end = anchor.start + delta, anchor.end + delta
        if start == end:
            return _day(start, phrase)
        return _range(start, end, phrase)
    if m := _INITIAL.fullmatch(text):
        unit = m["unit"].rstrip("s")
        if unit == "month":
            end = _add_months(anchor.start, 1)
        else:
            end = anchor.start + dt.timedelta(days=7 if unit == "day" else 28)
        return _range(anchor.start, end, phrase)
    raise DateError(f"{phrase!r} is not a phrase relative to another event")


def parse_date(value: object, published: dt.date | None = None) -> EventDate:
    """Read an event date: ISO 8601 (day, week, month, year, interval) or a relative phrase.

    Relative phrases need `published`; the phrase is kept in `EventDate.text`.
    """
    if isinstance(value, dt.datetime):
        return _day(value.date())
    if isinstance(value, dt.date):
        return _day(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"a date must be text such as 2024-08-06, not {type(value).__name__}")
    raw = str(value).strip()
    if not raw:
        raise DateError("the date is empty")
    absolute = _absolute(raw)
    if absolute is not None:
        return absolute
    if is_anchored(raw):
        raise DateError(f"{raw!r} is relative to another event: add `after: <event id>`")
    if published is None:
        if _relative(raw, dt.date(2000, 1, 1)) is not None:
            raise DateError(f"{raw!r} is relative: it needs a `published` date to resolve")
        raise DateError(f"{raw!r} is not an ISO 8601 date or a known relative phrase")
    resolved = _relative(raw, published)
    if resolved is None:
        raise DateError(f"{raw!r} is not an ISO 8601 date or a known relative phrase "
                        "(see docs/events.md, Dates)")
    return resolved


def parse_published(value: object) -> dt.date:
    """Read a publication day (ISO day, or a date object)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := _ISO_DAY.match(value.strip())):
        return _checked_day(int(m[1]), int(m[2]), int(m[3]), value)
    raise DateError(f"published must be an ISO day such as 2025-02-07, got {value!r}")
