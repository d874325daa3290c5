"""Find date phrases in article text and resolve them against the publication date.

News copy dates events relative to the day it went out ("six months ago", "on
Thursday", "since May"); the resolved date keeps an explicit precision and the
original phrase, so a reviewer can see exactly what was inferred.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3}
_COUNT = r"\d+|" + "|".join(sorted(map(re.escape, COUNTS), key=len, reverse=True))
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("month_day", re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("day_month", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("ago", re.compile(rf"\b(?P<n>{_COUNT})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<last>last|this|on|early|late)\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?P<part>morning|afternoon|evening|night))?\b", re.I)),
    ("named_day", re.compile(r"\b(?P<word>yesterday|today|overnight|last night|this morning|tonight)\b", re.I)),
    ("relative_period", re.compile(r"\b(?P<which>last|this|past|earlier this|later this|previous)\s+(?P<unit>week|month|year)\b", re.I)),
    ("month", re.compile(rf"\b(?P<prep>since|in|from|until|by|during|through|started in|began in|since early|since late|in early|in late|in mid-?|early|late|mid-?)\s+(?P<mon>{_MONTH})(?:\s+(?P<y>(?:19|20)\d\d))?\b(?!\s+\d)", re.I)),
    ("year", re.compile(r"\b(?P<prep>in|since|during|by|until|early|late|mid-?)\s+(?P<y>(?:19|20)\d\d)\b(?!-\d)", re.I)),
    ("initial", re.compile(r"\b(?:in\s+)?the\s+(?P<which>initial|first|opening|early|early|final|last)\s+(?P<n>(?:few|two|three|four)\s+)?(?P<unit>day|week|month)s?\b", re.I)),
]
# Cheap pre-check: a sentence with none of these words has no date phrase.
_MAYBE_DATE = re.compile(
    rf"\d|\b(?:{_MONTH}|{_WEEKDAY}|ago|yesterday|today|overnight|tonight|night|morning|week|month|year|"
    r"initial|first|opening|early|final|last)\b", re.I)
# Capitalised month names that are also ordinary words need a year or a preposition.
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "jun", "aug", "sep", "oct", "nov", "dec", "feb", "apr", "jul"}


@dataclass
class DateMention:
    """A date phrase and what it resolves to (date None when it cannot be resolved)."""

    text: str
    start: int
    end: int
    kind: str
    date: str | None
    precision: str | None  # day | week | month | year | range
    date_start: str | None
    date_end: str | None
    since: bool = False

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in
                ("text", "start", "end", "kind", "date", "precision", "date_start", "date_end", "since")}


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_value(year: int, month: int) -> tuple[str, str, str, str]:
    first, last = month_bounds(year, month)
    return f"{year:04d}-{month:02d}", "month", first.isoformat(), last.isoformat()


def _day_value(day: date) -> tuple[str, str, str, str]:
    return day.isoformat(), "day", day.isoformat(), day.isoformat()


def _range_value(first: date, last: date, precision: str = "range") -> tuple[str, str, str, str]:
    if precision == "week":  # ISO 8601 week, as the events model writes it
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}", "week", first.isoformat(), last.isoformat()
    return f"{first.isoformat()}/{last.isoformat()}", precision, first.isoformat(), last.isoformat()


def _latest_month(published: date, month: int) -> int:
    """Year of the most recent `month` not after the publication month (news looks back)."""
    return published.year if month <= published.month else published.year - 1


def _resolve(kind: str, match: re.Match[str], published: date, anchor: date | None):
    g = match.groupdict()
    if kind == "iso":
        return _day_value(date(int(g["y"]), int(g["m"]), int(g["d"])))
    if kind in ("month_day", "day_month"):
        month = MONTHS[g["mon"].lower().rstrip(".")]
        year = int(g["y"]) if g.get("y") else _latest_month(published, month)
        return _day_value(date(year, month, int(g["d"])))
    if kind == "ago":
        raw = g["n"].lower()
        n = COUNTS[raw] if raw in COUNTS else int(raw)
        unit = g["unit"].lower()
        if unit == "day":
            return _day_value(published - timedelta(days=n))
        if unit == "week":
            day = published - timedelta(weeks=n)
            monday = day - timedelta(days=day.weekday())
            return _range_value(monday, monday + timedelta(days=6), "week")
        if unit == "month":
            day = shift_months(published, -n)
            return _month_value(day.year, day.month)
        return str(published.year - n), "year", f"{published.year - n}-01-01", f"{published.year - n}-12-31"
    if kind == "weekday":
        wanted = WEEKDAYS[g["wd"].lower()]
        back = (published.weekday() - wanted) % 7
        if (g.get("last") or "").lower() == "last" and back == 0:
            back = 7
        return _day_value(published - timedelta(days=back))
    if kind == "named_day":
        word = g["word"].lower()
        return _day_value(published - timedelta(days=1 if word in ("yesterday", "last night") else 0))
    if kind == "relative_period":
        which, unit = g["which"].lower(), g["unit"].lower()
        back = 0 if which in ("this", "earlier this", "later this") else 1
        if unit == "week":
            monday = published - timedelta(days=published.weekday(), weeks=back)
            return _range_value(monday, monday + timedelta(days=6), "week")
        if unit == "month":
            day = shift_months(published, -back)
            return _month_value(day.year, day.month)
        year = published.year - back
        return str(year), "year", f"{year}-01-01", f"{year}-12-31"
    if kind == "month":
        month = MONTHS[g["mon"].lower()]
        year = int(g["y"]) if g.get("y") else _latest_month(published, month)
        if g["prep"].lower().startswith(("since", "from")):
            return _range_value(month_bounds(year, month)[0], published)  # "since early January"
        return _month_value(year, month)
    if kind == "year":
        year = int(g["y"])
        return str(year), "year", f"{year}-01-01", f"{year}-12-31"
    if kind == "initial":
        if anchor is None:
            return None
        unit = g["unit"].lower()
        length = {"day": timedelta(days=7), "week": timedelta(weeks=4), "month": timedelta(days=92)}[unit]
        if g["which"].lower() in ("final", "last"):
            return _range_value(published - length, published)
        return _range_value(anchor, anchor + length)
    raise AssertionError(kind)


def _shared(phrase: str, kind: str, published: date, anchor: date | None):
    """Resolve with the events model's own parser when it knows the phrase, so a date drafted
    here equals the date the events loader computes for the same words."""
    from geoevents.events.dates import DateError, EventDate, is_anchored, parse_date, resolve_after

    words = re.sub(r"^(?:started|began|starting|beginning)\s+", "", phrase.strip(), flags=re.I)
    try:
        if is_anchored(words):
            if anchor is None:
                return None
            value = resolve_after(words, EventDate(anchor.isoformat(), "day", anchor, anchor))
        else:
            value = parse_date(words, published)
    except DateError:
        return None
    return value.date, value.precision, value.start.isoformat(), value.end.isoformat()


def find_dates(text: str, published: date, *, offset: int = 0, anchor: date | None = None) -> list[DateMention]:
    """Date phrases in `text` resolved against `published`.

    `anchor` is the start of the story's main event (the earliest date resolved
    so far); phrases such as "in the initial weeks" are placed after it.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if not _MAYBE_DATE.search(text):
        return found
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if kind == "month" and g_is_bare_modal(match):
                continue
            try:
                value = _shared(match.group(), kind, published, anchor) if kind != "named_day" else None
                if value is None:
                    value = _resolve(kind, match, published, anchor)
            except ValueError:  # e.g. 31 February
                continue
            taken.append((match.start(), match.end()))
            date_value, precision, first, last = value if value else (None, None, None, None)
            found.append(DateMention(match.group(), offset + match.start(), offset + match.end(), kind,
                                     date_value, precision, first, last,
                                     since=(match.groupdict().get("prep") or "").lower().startswith("since")))
    found.sort(key=lambda mention: mention.start)
    return found


def g_is_bare_modal(match: re.Match[str]) -> bool:
    """'by May' is a month; 'in may' (lower case) is not a month name at all."""
    month = match.group("mon")
    return month.lower() in _AMBIGUOUS_MONTHS and not month[0].isupper()
