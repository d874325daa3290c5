"""Capitals and buildings that stand for governments: actors, never event locations.

"Москва заявила", "у Києві наголошують", "В Кремле заявили", "речник Києва", "переговори з
Москвою", "На Банковій заявили": the government speaks or acts, nothing happened in the city.
"У Києві пролунали вибухи", "атакували Київ", "аэропорты Москвы" are the city itself. A map that
puts a government's words on its capital shows an attack that never happened, so each mention
of a capital (in any case form) gets a reading from the words around it, and a building or a
street that names a government (Кремль, Банкова, Білий дім) is always the government. Names,
countries and cue words are data (`lang/<code>/governments.tsv`, `government_cues.tsv`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geoevents.extract.slavic_data import WORD, WordPatterns, fold, table, words
from geoevents.text.declension import case_forms

_TOKEN = re.compile(rf"(?P<word>{WORD.pattern})|(?P<stop>[.!?;])|(?P<comma>[,:—–])")
LOCATIVE_PREPOSITIONS = frozenset({"у", "в", "во", "на"})
WITH_PREPOSITIONS = frozenset({"з", "із", "зі", "с", "со"})
# adverbs that may stand between a subject and its verb ("Москва знову відкидає")
_ADVERBS = frozenset({"знову", "також", "вже", "ще", "раніше", "уже", "снова", "также", "еще", "вновь",
                      "нині", "сейчас", "тепер", "теперь", "досі", "до", "сих", "пор", "офіційно",
                      "официально", "публічно", "публично", "прямо", "категорично", "вкотре", "опять"})
WINDOW = 4


@dataclass(frozen=True)
class GovernmentName:
    """A capital or landmark mentioned in the text and what it stands for here.

    `reading`: government (an actor: never an event location) | location (the city itself) |
    unknown (no cue either way); `cue`: the words that decided (landmark, subject, agent,
    said_in, office, dialogue, place, preposition)."""

    text: str
    start: int
    end: int
    name: str
    country: str
    kind: str  # capital | landmark
    reading: str
    cue: str | None

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "name": self.name,
                "country": self.country, "kind": self.kind, "reading": self.reading, "cue": self.cue}


@dataclass(frozen=True)
class _Entry:
    name: str
    country: str
    kind: str
    tokens: tuple[str, ...]
    cases: frozenset[str]


@dataclass(frozen=True)
class _Rules:
    names: dict[str, list[_Entry]]  # first folded word -> entries, longest first
    cues: dict[str, WordPatterns]
    singular: tuple[str, ...]  # endings of a singular verb


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    names: dict[str, list[_Entry]] = {}
    for row in table(lang, "governments"):
        forms: dict[str, set[str]] = {}
        if row["forms"]:
            for form in row["forms"].split("|"):
                forms.setdefault(form, set())
            forms.setdefault(row["name"], set()).add("nomn")
        else:
            forms[row["name"]] = {"nomn", "accs"}
            for case, declined in case_forms(row["name"], lang).items():
                for form in declined:
                    forms.setdefault(form, set()).add(case)
        for form, cases in forms.items():
            tokens = tuple(fold(word) for word in WORD.findall(form))
            entry = _Entry(row["name"], row["country"], row["kind"], tokens, frozenset(cases))
            names.setdefault(tokens[0], []).append(entry)
    for bucket in names.values():
        bucket.sort(key=lambda entry: -len(entry.tokens))
    cues: dict[str, list[tuple[str, str]]] = {}
    for row in table(lang, "government_cues"):
        cues.setdefault(row["cue"], []).append((row["pattern"], row["cue"]))
    singular = tuple(sorted(words(lang, "singular_verb_endings"), key=len, reverse=True))
    return _Rules(names, {cue: WordPatterns(rows) for cue, rows in cues.items()}, singular)


def _tokens(text: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, folded word) for words, sentence stops and clause marks."""
    return [(m.lastgroup, m.start(), m.end(), fold(m.group()) if m.lastgroup == "word" else m.group())
            for m in _TOKEN.finditer(text)]


def find_government_names(text: str, lang: str) -> list[GovernmentName]:
    """Every capital and landmark of `lang`'s table in `text`, with its reading, in text order."""
    rules = _rules(lang)
    tokens = _tokens(text)
    keys = [key if kind == "word" else "" for kind, _, _, key in tokens]
    found: list[GovernmentName] = []
    i = 0
    while i < len(tokens):
        kind, start, _, key = tokens[i]
        entry = None
        if kind == "word" and text[start:start + 1].isupper():
            entry = next((e for e in rules.names.get(key, ()) if tuple(keys[i:i + len(e.tokens)]) == e.tokens), None)
        if entry is None:
            i += 1
            continue
        last = i + len(entry.tokens) - 1
        reading, cue = _reading(entry, tokens, keys, i, last, rules)
        end = tokens[last][2]
        found.append(GovernmentName(text[start:end], start, end, entry.name, entry.country, entry.kind, reading, cue))
        i = last + 1
    return found


def reading_at(text: str, start: int, end: int, lang: str) -> GovernmentName | None:
    """The government-name reading of the span [start, end) (a mention part B found), or None
    when the span is no capital or landmark of the table."""
    for name in find_government_names(text, lang):
        if name.start < end and start < name.end:
            return name
    return None


def _cue(rules: _Rules, cue: str, keys: list[str], i: int) -> bool:
    patterns = rules.cues.get(cue)
    return bool(patterns and 0 <= i < len(keys) and keys[i] and patterns.match(keys, i))


def _reading(entry: _Entry, tokens, keys: list[str], first: int, last: int, rules: _Rules) -> tuple[str, str | None]:
    if entry.kind == "landmark":
        return "government", "landmark"
    before = keys[first - 1] if first > 0 else ""
    # a verb of saying or deciding after the name as subject, or after "у Києві"
    j = last + 1
    while j < len(keys) and keys[j] in _ADVERBS:
        j += 1
    if _cue(rules, "negation", keys, j):
        j += 1
    said = _cue(rules, "verb", keys, j)
    subject = "nomn" in entry.cases and before not in LOCATIVE_PREPOSITIONS | WITH_PREPOSITIONS
    if said and subject:
        return "government", "subject"
    if subject and _cue(rules, "place", keys, j) and keys[j].endswith(rules.singular):
        return "government", "agent"  # "Москва атакувала Київ": the attacker, not the place
    if said and before in LOCATIVE_PREPOSITIONS and entry.cases & {"loct", "datv"}:
        return "government", "said_in"
    # "речник Києва", "позиція Москви"; "переговори з Москвою"
    if "gent" in entry.cases and (_cue(rules, "office", keys, first - 1) or _cue(rules, "office", keys, first - 2)):
        return "government", "office"
    if before in WITH_PREPOSITIONS and "ablt" in entry.cases and any(
            _cue(rules, "dialogue", keys, k) for k in range(max(0, first - 4), first - 1)):
        return "government", "dialogue"
    # an event word in the same sentence, close by, makes it the city
    for side in (range(first - 1, max(-1, first - 1 - WINDOW), -1), range(last + 1, min(len(tokens), last + 1 + WINDOW))):
        for k in side:
            if tokens[k][0] == "stop":
                break
            if _cue(rules, "place", keys, k):
                return "location", "place"
    if before in LOCATIVE_PREPOSITIONS:
        return "location", "preposition"
    return "unknown", None
