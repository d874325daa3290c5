"""Ukrainian and Russian date phrases, resolved against the publication date.

General Staff reports and regional posts date events relative to the day they went out ("у
ніч на четвер", "вчора", "за минувшие сутки", "з травня", "6 серпня"), so the same rules as the
English reader apply: each phrase keeps its words and gets an ISO 8601 value with a precision
(day, week, month, year, range), in the English reader's result type (`DateMention`), so part
of the pipeline that drafts events takes both alike. The words (month and weekday forms,
prepositions, fixed phrases) are data in `lang/<code>/`; the patterns are built from them once.

Conventions, as for English and the evaluation sets: a weekday is the latest such day on or
before publication ("у четвер" published on a Thursday is that day); "у ніч на 12 березня" is
12 March (the night ends that day); "протягом минулої доби" / "за минувшие сутки" is the day
before publication; "з травня" / "с мая" runs from 1 May to publication (`since`); a day or
month without a year is the latest one not after the publication month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from geoevents.extract.dates import DateMention, month_bounds, shift_months
from geoevents.extract.slavic_data import alternation, fold, table

_APOSTROPHE = "['’ʼ`]"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class _Rules:
    pattern: re.Pattern[str]  # every kind of phrase in one alternation, tried where a phrase can start
    starters: frozenset[str]  # the (folded) first words of phrases; digits start phrases too
    months: dict[str, int]
    weekdays: dict[str, int]
    values: dict[tuple[str, str], str]  # (kind, folded phrase) -> value


def _alt(phrases) -> str:
    return alternation(phrases).replace("\\'", _APOSTROPHE).replace("'", _APOSTROPHE).replace(r"\ ", r"\s+")


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(_APOSTROPHE, "'", text.lower().replace("ё", "е"))).strip()


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    months: dict[str, int] = {}
    gen, loc = [], []
    for row in table(lang, "months"):
        number = int(row["month"])
        for column in ("nominative", "genitive", "locative", "other"):
            for form in filter(None, row[column].split("|")):
                months[_key(form)] = number
        gen.append(row["genitive"])
        loc.append(row["locative"])
    weekdays: dict[str, int] = {}
    acc, gent, any_form = [], [], []
    for row in table(lang, "weekdays"):
        number = int(row["weekday"])
        for column in ("nominative", "accusative", "genitive", "other"):
            for form in filter(None, row[column].split("|")):
                weekdays[_key(form)] = number
                any_form.append(form)
        acc.extend(row["accusative"].split("|"))
        gent.extend(row["genitive"].split("|"))
    words: dict[str, list[str]] = {}
    values: dict[tuple[str, str], str] = {}
    for row in table(lang, "date_words"):
        words.setdefault(row["kind"], []).append(row["phrase"])
        values[(row["kind"], _key(row["phrase"]))] = row["value"]
    w = {kind: _alt(phrases) for kind, phrases in words.items()}
    day = r"(?P<d>\d{1,2})"
    mon_gen, mon_loc = rf"(?P<mon>{_alt(gen)})", rf"(?P<mon>{_alt(loc)})"
    year = rf"(?:\s+(?P<y>(?:19|20)\d\d)(?:\s*(?:{w['year_word']})\.?)?)?"
    wd_acc, wd_gen, wd_any = rf"(?P<wd>{_alt(acc)})", rf"(?P<wd>{_alt(gent)})", rf"(?P<wd>{_alt(any_form)})"
    b, e = r"(?<![\w'’ʼ])", r"(?![\w'’ʼ])"
    part = rf"(?:\s+(?:{w['daypart']}))?"  # "у середу ввечері" is one phrase
    patterns = [
        ("night_from", rf"{b}(?:{w['night_from']})\s+(?P<wd0>{_alt(gent)})\s+на\s+{wd_acc}{e}"),
        ("night", rf"{b}(?:{w['night']})\s+(?:{day}\s+{mon_gen}{year}|{wd_acc}){e}"),
        ("epoch", rf"{b}(?P<phrase>{w['epoch']}){e}"),
        ("since_start", rf"{b}(?:{w['since']})\s+(?:{w['start']})\s+(?:{mon_gen}{year}|"
                        rf"(?P<y2>(?:19|20)\d\d)\s+(?:{w['year_word']})|(?P<unit>{w['unit_gen']})){e}"),
        ("since_day", rf"{b}(?:{w['since']})\s+{day}\s+{mon_gen}{year}{e}"),
        ("since_month", rf"{b}(?:{w['since']})\s+{mon_gen}{year}{e}(?!\s*\d)"),
        ("since_year", rf"{b}(?:{w['since']})\s+(?P<y>(?:19|20)\d\d)\s*(?:{w['year_word']})\.?{e}"),
        ("day_range", rf"{b}{day}\s*[-–—]\s*(?P<d2>\d{{1,2}})\s+{mon_gen}{year}{e}"),
        ("day_month", rf"{b}{day}\s+{mon_gen}{year}{part}{e}"),
        ("numeric", r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?![\d.])"),
        ("last_weekday", rf"{b}(?:{w['last']})\s+{wd_any}{part}{e}"),
        ("weekday", rf"{b}(?:{w['on']})\s+{wd_acc}{part}{e}"),
        ("part_month", rf"{b}(?:{w['part']})\s+{mon_gen}{year}{e}"),
        ("month", rf"{b}(?:{w['in']})\s+{mon_loc}{year}{e}"),
        ("year", rf"{b}(?:{w['in']})\s+(?P<y>(?:19|20)\d\d)\s*(?:{w['year_word']})\.?{e}"),
        ("period", rf"{b}(?P<phrase>{w['period']}){e}"),
        ("range_back", rf"{b}(?P<phrase>{w['range_back']}){e}"),
        ("day_word", rf"{b}(?P<phrase>{w['day']}){e}"),
    ]
    # one scan: each kind is a named branch (its groups prefixed "<kind>__"); at a position the
    # first branch that matches wins, so the order above is the order of preference
    branches = [f"(?P<{kind}>{re.sub(r'[(][?]P<', f'(?P<{kind}__', pattern)})" for kind, pattern in patterns]
    compiled = re.compile("|".join(branches), re.I)
    starters = frozenset(_key(phrase).split(" ")[0] for kind, phrases in words.items()
                         if kind not in ("year_word", "start", "unit_gen", "daypart") for phrase in phrases)
    return _Rules(compiled, starters, months, weekdays, values)


def _day(day: dt.date) -> tuple[str, str, dt.date, dt.date]:
    return day.isoformat(), "day", day, day


def _range(first: dt.date, last: dt.date) -> tuple[str, str, dt.date, dt.date]:
    return f"{first.isoformat()}/{last.isoformat()}", "range", first, last


def _month(year: int, month: int) -> tuple[str, str, dt.date, dt.date]:
    first, last = month_bounds(year, month)
    return f"{year:04d}-{month:02d}", "month", first, last


def _week(day: dt.date) -> tuple[str, str, dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", "week", monday, monday + dt.timedelta(days=6)


def _year(year: int) -> tuple[str, str, dt.date, dt.date]:
    return str(year), "year", dt.date(year, 1, 1), dt.date(year, 12, 31)


def _latest_year(published: dt.date, month: int) -> int:
    """Year of the latest `month` not after the publication month (reports look back)."""
    return published.year if month <= published.month else published.year - 1


def _weekday_back(published: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if strictly_before and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _resolve(kind: str, g: dict[str, str | None], rules: _Rules, published: dt.date):
    month = rules.months.get(_key(g["mon"])) if g.get("mon") else None
    year = int(g["y"]) if g.get("y") else (_latest_year(published, month) if month else None)
    if kind in ("night_from", "night", "weekday", "last_weekday"):
        if g.get("d"):  # "у ніч на 12 березня"
            return _day(dt.date(year, month, int(g["d"])))
        return _day(_weekday_back(published, rules.weekdays[_key(g["wd"])], kind == "last_weekday"))
    if kind == "epoch":
        return _range(dt.date.fromisoformat(rules.values[("epoch", _key(g["phrase"]))]), published)
    if kind == "since_start":
        if month:
            return _range(month_bounds(year, month)[0], published)
        if g.get("y2"):
            return _range(dt.date(int(g["y2"]), 1, 1), published)
        unit = rules.values[("unit_gen", _key(g["unit"]))]
        first = {"year": published.replace(month=1, day=1), "month": published.replace(day=1),
                 "week": published - dt.timedelta(days=published.weekday())}[unit]
        return _range(first, published)
    if kind == "since_day":
        return _range(dt.date(year, month, int(g["d"])), published)
    if kind == "since_month":
        return _range(month_bounds(year, month)[0], published)
    if kind == "since_year":
        return _range(dt.date(int(g["y"]), 1, 1), published)
    if kind == "day_range":
        return _range(dt.date(year, month, int(g["d"])), dt.date(year, month, int(g["d2"])))
    if kind == "day_month":
        return _day(dt.date(year, month, int(g["d"])))
    if kind == "numeric":
        return _day(dt.date(int(g["y"]), int(g["m"]), int(g["d"])))
    if kind in ("part_month", "month"):
        return _month(year, month)
    if kind == "year":
        return _year(int(g["y"]))
    if kind == "period":
        unit, back = rules.values[("period", _key(g["phrase"]))].split(",")
        if unit == "week":
            return _week(published - dt.timedelta(weeks=int(back)))
        if unit == "month":
            day = shift_months(published, -int(back))
            return _month(day.year, day.month)
        return _year(published.year - int(back))
    if kind == "range_back":
        days = int(rules.values[("range_back", _key(g["phrase"]))])
        return _range(published - dt.timedelta(days=days), published)
    if kind == "day_word":
        return _day(published - dt.timedelta(days=int(rules.values[("day", _key(g["phrase"]))])))
    raise AssertionError(kind)


def find_dates(text: str, lang: str, published: dt.date | str, *, offset: int = 0) -> list[DateMention]:
    """Date phrases in Ukrainian (`uk`) or Russian (`ru`) `text`, resolved against `published`.

    Offsets are shifted by `offset` (the sentence start), as in `geoevents.extract.dates`. A
    phrase that names an impossible day (31 лютого) is skipped."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    rules = _rules(lang)
    found: list[DateMention] = []
    end = 0
    for word in _WORDS.finditer(text):
        if word.start() < end or not (word.group()[0].isdigit() or fold(word.group()) in rules.starters):
            continue
        match = rules.pattern.match(text, word.start())
        if match is None:
            continue
        end = match.end()
        kind = match.lastgroup
        prefix = f"{kind}__"
        groups = {name[len(prefix):]: value for name, value in match.groupdict().items()
                  if value is not None and name.startswith(prefix)}
        try:
            value, precision, first, last = _resolve(kind, groups, rules, published)
        except ValueError:
            continue
        found.append(DateMention(match.group(), offset + match.start(), offset + match.end(), kind, value,
                                 precision, first.isoformat(), last.isoformat(),
                                 since=kind.startswith("since") or kind == "epoch"))
    return found
