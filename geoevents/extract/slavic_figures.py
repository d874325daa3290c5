"""Figures in Ukrainian and Russian text: a number, what it counts, and how the writer hedged it.

"понад 16 тисяч військових", "близько 1 000 кв. км", "до 60 тис.", "майже 1,3 тис.", "1,5 млн",
"ще п'ятеро поранені", "погибли 15 человек": a map must not show a rough claim as a precise one,
so the hedge is kept (`qualifier`: about, at least, at most, additional) and the unit is the
English reader's (`km2`, `killed`, `wounded`, `captured`, `troops`, `people`, `villages`, ...), in
its result type (`Figure`). Digits may be grouped with spaces, no-break or narrow no-break spaces
("1 570"); a comma is the decimal mark ("1,5 млн"). Order-of-magnitude words ("сотні людей",
"десятки тысяч") are hedges, never numbers: they come back as `VagueQuantity`, not as figures.

What a count of people or troops suffered is read from the words around it in the same clause
("загинули 12 людей", "ранены три человека", "противник втратив 427 тисяч військових": losses).
All words are data in `lang/<code>/` (number words, multipliers, qualifiers, units, fates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geoevents.extract.figures import HEDGES, Figure
from geoevents.extract.slavic_data import WORD, WordPatterns, fold, table, words

# digits grouped by spaces (incl. no-break and narrow no-break), a decimal comma or point
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(rf"(?P<num>{_NUMBER})|(?P<word>{WORD.pattern})|(?P<punct>[^\s\w])")
_CLAUSE_BREAKS = frozenset(",;:.!?—–«»\"“”()")
_PEOPLE_UNITS = frozenset({"people", "troops"})
FATE_WINDOW_BEFORE = 5
FATE_WINDOW_AFTER = 3


@dataclass(frozen=True)
class VagueQuantity:
    """An order of magnitude ("сотні людей"): a hedge about a quantity, not a number."""

    text: str
    start: int
    end: int
    unit: str | None
    magnitude: int  # the order meant: сотні -> 100
    qualifier: str | None = None

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "unit": self.unit,
                "magnitude": self.magnitude, "qualifier": self.qualifier}


@dataclass(frozen=True)
class FigureScan:
    """Everything counted in a text: numbers with units, and vague quantities."""

    figures: list[Figure]
    vague: list[VagueQuantity]


@dataclass(frozen=True)
class _Rules:
    numbers: dict[str, float]
    multipliers: dict[str, float]
    qualifiers: WordPatterns
    vague: WordPatterns
    units: WordPatterns
    fates: WordPatterns
    filler_endings: tuple[str, ...]
    abbreviations: frozenset[str]
    victim_verbs: WordPatterns
    victims: WordPatterns
    triggers: dict[str, bool] = field(default_factory=dict)  # memo: can something start at this word


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    def forms(name: str, column: str) -> dict[str, float]:
        return {fold(form): float(row[column]) for row in table(lang, name) for form in row["forms"].split("|")}

    return _Rules(
        numbers=forms("number_words", "value"),
        multipliers=forms("multipliers", "factor"),
        qualifiers=WordPatterns([(row["phrase"], row["meaning"]) for row in table(lang, "qualifiers")]),
        vague=WordPatterns([(row["phrase"], int(row["magnitude"])) for row in table(lang, "vague_quantities")]),
        units=WordPatterns([(row["pattern"], row["unit"]) for row in table(lang, "units")]),
        fates=WordPatterns([(row["pattern"], row["fate"]) for row in table(lang, "fates")]),
        filler_endings=tuple(sorted(words(lang, "filler_endings"), key=len, reverse=True)),
        abbreviations=words(lang, "abbreviations"),
        victim_verbs=WordPatterns([(row["pattern"], row["fate"]) for row in table(lang, "single_victims")
                                   if row["kind"] == "verb"]),
        victims=WordPatterns([(row["pattern"], "person") for row in table(lang, "single_victims")
                              if row["kind"] == "person"]),
    )


class _Token:
    """A number, word or punctuation mark: kind, offsets, text and (words) the folded key."""

    __slots__ = ("kind", "start", "end", "text", "key")

    def __init__(self, kind: str, start: int, end: int, text: str) -> None:
        self.kind, self.start, self.end, self.text = kind, start, end, text
        self.key = fold(text) if kind == "word" else ""


def _tokens(text: str) -> list[_Token]:
    return [_Token(match.lastgroup, match.start(), match.end(), match.group()) for match in _TOKEN.finditer(text)]


def _digits(raw: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f\u2009]", "", raw).replace(",", "."))


class _Reader:
    """One pass over the tokens of a text; words are matched on folded keys."""

    def __init__(self, text: str, lang: str, offset: int) -> None:
        self.text, self.offset, self.rules = text, offset, _rules(lang)
        self.tokens = _tokens(text)
        # the word key of every token; "" for numbers and punctuation so patterns never cross them
        self.keys = [t.key if t.kind == "word" else "" for t in self.tokens]

    def _is_number(self, i: int) -> bool:
        token = self.tokens[i]
        return token.kind == "num" or (token.kind == "word" and token.key in self.rules.numbers)

    def _skip_period(self, i: int) -> int:
        """'тис.' / 'кв. км': an abbreviation's full stop belongs to it."""
        if i < len(self.tokens) and self.tokens[i].text == "." and i > 0 \
                and self.tokens[i].start == self.tokens[i - 1].end and self.keys[i - 1] in self.rules.abbreviations:
            return i + 1
        return i

    def _unit_at(self, i: int) -> tuple[str, int] | None:
        """The unit starting at token i, after at most two adjectives ("прикордонних громад")."""
        for _ in range(3):
            if i >= len(self.tokens):
                return None
            found = self._match(self.rules.units, i)
            if found:
                return found
            token = self.tokens[i]
            if token.kind != "word" or not token.text.islower() or not token.key.endswith(self.rules.filler_endings):
                return None
            i += 1
        return None

    def _match(self, patterns: WordPatterns, i: int) -> tuple[str, int] | None:
        """A pattern at token i; abbreviation stops ("кв. км") between its words are skipped."""
        if i >= len(self.tokens) or not patterns.starts(self.keys[i]):
            return None
        words_, index = [], []
        j = i
        while j < len(self.tokens) and len(words_) < 4:
            if self.tokens[j].kind == "word":
                words_.append(self.tokens[j].key)
                index.append(j)
                j = self._skip_period(j + 1)
            else:
                break
        found = patterns.match(words_, 0) if words_ else None
        if found is None:
            return None
        value, n = found
        return value, self._skip_period(index[n - 1] + 1)

    def _qualifier_before(self, i: int) -> tuple[str, int] | None:
        """(meaning, first token) of a qualifier ending just before token i ("не менше ніж 10")."""
        for n in (3, 2, 1):
            start = i - n
            if start < 0 or any(self.tokens[k].kind != "word" for k in range(start, i)):
                continue
            found = self.rules.qualifiers.match(self.keys[start:i], 0)
            if found and found[1] == n:
                return found[0], start
        return None

    def _fate(self, first: int, last: int) -> str | None:
        """What the counted people suffered: the nearest fate word in the same clause."""
        best: tuple[int, str] | None = None
        k, seen = first - 1, 0
        while k >= 0 and seen < FATE_WINDOW_BEFORE and not self._breaks(k):
            found = self._match(self.rules.fates, k)
            if found:
                best = (first - k, found[0])
                break
            seen += self.tokens[k].kind == "word"
            k -= 1
        k, seen = last, 0
        while k < len(self.tokens) and seen < FATE_WINDOW_AFTER and not self._breaks(k):
            found = self._match(self.rules.fates, k)
            if found:
                if best is None or k - last < best[0]:
                    best = (k - last, found[0])
                break
            seen += self.tokens[k].kind == "word"
            k += 1
        return best[1] if best else None

    def _breaks(self, k: int) -> bool:
        """Punctuation that ends a clause (an abbreviation's full stop does not)."""
        token = self.tokens[k]
        if token.kind != "punct" or token.text not in _CLAUSE_BREAKS:
            return False
        return token.text != "." or not (k > 0 and self.keys[k - 1] in self.rules.abbreviations)

    def _not_a_count(self, i: int) -> bool:
        """Dates and times ('12.03.2025', '12:30'), and years ('у 2024 році')."""
        token = self.tokens[i]
        follow = self.text[token.end:token.end + 2]
        if re.match(r"[.:]\d", follow) or re.search(r"\d[.:]$", self.text[max(0, token.start - 2):token.start]):
            return True
        return token.kind == "num" and bool(re.fullmatch(r"(?:19|20)\d\d", token.text)) and \
            self._qualifier_before(i) is None

    def scan(self) -> FigureScan:
        figures: list[Figure] = []
        vague: list[VagueQuantity] = []
        i = 0
        rules = self.rules
        triggers = rules.triggers
        while i < len(self.tokens):
            token = self.tokens[i]
            if token.kind == "word":
                known = triggers.get(token.key)
                if known is None:  # can a figure, a vague quantity or a victim start here?
                    known = triggers[token.key] = (token.key in rules.numbers or rules.vague.starts(token.key)
                                                   or rules.victim_verbs.starts(token.key)
                                                   or rules.victims.starts(token.key))
                if not known:
                    i += 1
                    continue
            elif token.kind != "num":
                i += 1
                continue
            if self._is_number(i) and not self._not_a_count(i):
                taken = self._figure(i)
                if taken:
                    figure, i = taken
                    figures.append(figure)
                    continue
            elif self.tokens[i].kind == "word":
                taken_vague = self._vague(i)
                if taken_vague:
                    item, i = taken_vague
                    vague.append(item)
                    continue
                one = self._single_victim(i)
                if one:
                    figure, i = one
                    figures.append(figure)
                    continue
            i += 1
        return FigureScan(figures, vague)

    def _figure(self, i: int) -> tuple[Figure, int] | None:
        token = self.tokens[i]
        value = _digits(token.text) if token.kind == "num" else self.rules.numbers[token.key]
        j = i + 1
        if j < len(self.tokens) and self.tokens[j].key in self.rules.multipliers:
            value *= self.rules.multipliers[self.tokens[j].key]
            j = self._skip_period(j + 1)
        unit_found = self._unit_at(j)
        if unit_found is None:
            fate = self._match(self.rules.fates, j)  # "ще п'ятеро поранені", "трое погибли"
            if fate is None or token.kind != "word" or fate[0] == "casualties":
                return None
            unit_found = fate
        unit, after = unit_found
        qualifier = self._qualifier_before(i)
        meaning, first = qualifier if qualifier else (None, i)
        if unit in _PEOPLE_UNITS:
            fate = self._fate(first, after)
            if fate == "casualties" or fate in ("killed", "wounded", "captured"):
                unit = fate
        start, end = self.tokens[first].start, self.tokens[after - 1].end
        if self.text[end - 1] == ".":  # "1 000 кв. км." at a sentence end: the stop is the sentence's
            end -= 1
        figure = Figure(self.text[start:end], self.offset + start, self.offset + end, value, unit,
                        meaning in HEDGES, meaning, extra={"number": token.text})
        return figure, after

    def _single_victim(self, i: int) -> tuple[Figure, int] | None:
        """'загинув чоловік' / 'женщина ранена': one person, told without a number."""
        if i > 0 and self._is_number(i - 1):
            return None
        key = self.keys[i]
        if not (self.rules.victim_verbs.starts(key) or self.rules.victims.starts(key)):
            return None
        verb = self.rules.victim_verbs.match(self.keys, i)
        if verb and self.rules.victims.match(self.keys, i + 1) and self._adjacent(i, i + 1):
            fate, last = verb[0], i + 1
        elif self.rules.victims.match(self.keys, i) and self._adjacent(i, i + 1):
            verb = self.rules.victim_verbs.match(self.keys, i + 1)
            if verb is None:
                return None
            fate, last = verb[0], i + 1
        else:
            return None
        start, end = self.tokens[i].start, self.tokens[last].end
        return Figure(self.text[start:end], self.offset + start, self.offset + end, 1.0, str(fate), False,
                      extra={"number": None, "implied": True}), last + 1

    def _adjacent(self, i: int, j: int) -> bool:
        return j < len(self.tokens) and not self.text[self.tokens[i].end:self.tokens[j].start].strip()

    def _vague(self, i: int) -> tuple[VagueQuantity, int] | None:
        found = self._match(self.rules.vague, i)
        if found is None:
            return None
        magnitude, after = found
        unit_found = self._unit_at(after)
        if unit_found is None:
            return None  # "кілька разів": no quantity of anything mapped
        unit, end_index = unit_found
        qualifier = self._qualifier_before(i)
        meaning, first = qualifier if qualifier else (None, i)
        if unit in _PEOPLE_UNITS:
            fate = self._fate(first, end_index)
            unit = fate if fate else unit
        start, end = self.tokens[first].start, self.tokens[end_index - 1].end
        return VagueQuantity(self.text[start:end], self.offset + start, self.offset + end, unit, int(magnitude),
                             meaning), end_index


def scan_figures(text: str, lang: str, offset: int = 0) -> FigureScan:
    """Figures and vague quantities in Ukrainian (`uk`) or Russian (`ru`) `text`; offsets are
    shifted by `offset` (the sentence start), as in `geoevents.extract.figures`."""
    return _Reader(text, lang, offset).scan()


def find_figures(text: str, lang: str, offset: int = 0) -> list[Figure]:
    """The numbers with units only (vague quantities are never figures)."""
    return scan_figures(text, lang, offset).figures
