"""Numeric claims in a sentence: value, unit and whether the writer hedged it.

Reporting rarely gives exact counts ("some 40,000 troops", "more than 16,000
killed", "about half of the 1,000 square kilometers", "hundreds of square
kilometers"); keeping the hedge as `approximate` and the qualifier word stops a
map from presenting a rough claim as a precise one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "a hundred": 100, "a thousand": 1000, "a dozen": 12, "dozen": 12,
}
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "m": 1e6, "mln": 1e6}
# "hundreds of" = an order of magnitude; the value kept is the lower bound.
VAGUE_QUANTITIES = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000}
FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25, "one quarter": 0.25,
             "two thirds": 2 / 3, "two-thirds": 2 / 3, "three quarters": 0.75}
# qualifier -> (approximate, meaning)
QUALIFIERS = {
    "some": "about", "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "an estimated": "about", "estimated": "about", "nearly": "at most", "almost": "at most",
    "close to": "at most", "up to": "at most", "as many as": "at most", "more than": "at least",
    "over": "at least", "at least": "at least", "upwards of": "at least", "fewer than": "at most",
    "less than": "at most", "under": "at most", "another": "additional", "a further": "additional",
    "an additional": "additional",
}
HEDGES = {"about", "at most", "at least"}

# Unit vocabulary: surface pattern -> figure_unit. Order matters (longest first).
UNIT_PATTERNS: list[tuple[str, str]] = [
    (r"square kilomet(?:er|re)s?|sq\.? ?km|km²|km2|square km", "km2"),
    (r"square miles?|sq\.? ?mi", "mi2"),
    (r"hectares?", "ha"),
    (r"kilomet(?:er|re)s?|km", "km"),
    (r"miles?", "mi"),
    (r"dead and wounded|killed and wounded|killed or wounded|dead or wounded|casualties|losses", "casualties"),
    (r"killed(?: in action)?|dead|deaths|fatalities", "killed"),
    (r"wounded|injured", "wounded"),
    (r"captured|prisoners(?: of war)?|POWs", "captured"),
    (r"troops|soldiers|servicemen|fighters|personnel|mercenaries|men", "troops"),
    (r"brigades?", "brigades"),
    (r"civilians|people|residents|workers|children|inhabitants", "people"),
    (r"villages|settlements|towns|localities|hamlets", "villages"),
    (r"drones|UAVs", "drones"),
    (r"missiles", "missiles"),
    (r"glide bombs|bombs", "bombs"),
    (r"tanks", "tanks"),
    (r"armou?red vehicles|vehicles", "vehicles"),
    (r"artillery systems|guns", "artillery"),
]
_UNIT_RE = "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, _) in enumerate(UNIT_PATTERNS))
# Adjectives allowed between a number and its unit: "12,000 North Korean troops".
_FILLER = (r"(?-i:(?:(?:[A-Z][\w’'-]*|elite|more|additional|new|enemy|hostile|foreign|regular)\s+){0,3}"
           r"(?:(?!(?:of|in|and|or|to|from|at|on|by|for|with|were|was|are|is|had|have|square|sq)\b)[a-z][a-z-]+\s+)?)")

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE_QUANTITIES), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(w) for w in QUALIFIERS), key=len, reverse=True))
_FRAC = "|".join(sorted((re.escape(w) for w in FRACTIONS), key=len, reverse=True))

FIGURE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?P<frac>{_FRAC})\s+of\s+(?:the|its|their|that|this)?\s*)?"
    rf"(?:(?P<vague>{_VAGUE})\s+of|(?P<num>{_DIGITS}|{_WORDS})(?:\s*(?P<mult>thousand|million|billion|mln|k|m)\b)?)"
    rf"\s+{_FILLER}(?:{_UNIT_RE})(?![\w])",
    re.IGNORECASE,
)


@dataclass
class Figure:
    """A number with its unit as the text states it."""

    text: str
    start: int
    end: int
    value: float
    unit: str
    approximate: bool
    qualifier: str | None = None  # about | at least | at most | additional | None
    fraction: float | None = None  # "half of the 1,000 km2" -> 0.5, base in `base_value`
    base_value: float | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "text": self.text, "start": self.start, "end": self.end, "value": self.value,
            "unit": self.unit, "approximate": self.approximate, "qualifier": self.qualifier,
            "fraction": self.fraction, "base_value": self.base_value,
        }


def _number(raw: str, multiplier: str | None) -> float:
    raw = raw.lower()
    value = float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw.replace(",", ""))
    if multiplier:
        value *= MULTIPLIERS[multiplier.lower()]
    return value


def _unit(match: re.Match[str]) -> str:
    for i, (_, unit) in enumerate(UNIT_PATTERNS):
        if match.group(f"u{i}"):
            return unit
    raise AssertionError("unit group missing")


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """All figures in `text`; offsets are shifted by `offset` (the sentence start)."""
    figures: list[Figure] = []
    for match in FIGURE_RE.finditer(text):
        # A year or a date is not a count ("in 2024 troops ...").
        if match.group("num") and re.fullmatch(r"(19|20)\d\d", match.group("num")) and not match.group("qual"):
            continue
        unit = _unit(match)
        qualifier_word = (match.group("qual") or "").lower() or None
        qualifier = QUALIFIERS.get(qualifier_word) if qualifier_word else None
        if match.group("vague"):
            value = float(VAGUE_QUANTITIES[match.group("vague").lower()])
            approximate = True
            qualifier = qualifier or "at least"
        else:
            value = _number(match.group("num"), match.group("mult"))
            approximate = qualifier in HEDGES
        fraction = base = None
        if match.group("frac"):
            fraction = FRACTIONS[match.group("frac").lower()]
            base = value
            # The base amount is a figure in its own right ("the 1,000 km2 it seized").
            base_start = match.start("vague") if match.group("vague") else match.start("num")
            figures.append(Figure(text[base_start: match.end()], offset + base_start, offset + match.end(),
                                  base, unit, bool(match.group("vague"))))
            value = round(base * fraction, 6)
            approximate = True if qualifier in HEDGES or qualifier is None else approximate
        if unit in ("people", "troops"):
            unit = _fate(text, match.start(), match.end()) or unit
        figures.append(Figure(match.group(), offset + match.start(), offset + match.end(), value, unit,
                              approximate, qualifier, fraction, base))
    return figures


_FATE_AFTER = re.compile(r"\s+(?:(?:were|was|have been|had been|are|got)\s+)?(?:(?P<k>killed|died|dead)|"
                         r"(?P<w>wounded|injured|hurt)|(?P<c>captured|taken prisoner|detained))\b")
_FATE_BEFORE = re.compile(r"\b(?:(?P<k>killed|killing|kills)|(?P<w>wounded|wounding|injured|injuring)|"
                          r"(?P<c>captured|capturing))\s+$")


def _fate(text: str, start: int, end: int) -> str | None:
    """'11 people were wounded' / 'killed 10 people': what happened to the people counted."""
    match = _FATE_AFTER.match(text, end) or _FATE_BEFORE.search(text[max(0, start - 40):start])
    if not match:
        return None
    return "killed" if match.group("k") else "wounded" if match.group("w") else "captured"
