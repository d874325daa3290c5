"""Capitalised words in Ukrainian and Russian text that are not places, though a gazetteer has them.

Every capitalised word is a place candidate, and GeoNames lists a place for almost any word:
"Об этом" is the Ob', "Український бік" a village in Krasnodar krai, «Пепел Курск» (a Telegram
channel) Kursk, "Владимир Сальдо" the city of Vladimir. This module says which spans are
something else, and why, so the spotter (part B) can skip them:

- names in «...» of channels, outlets, groups and operations: a cue word before or after the
  quotes (телеграм-канал «...», угруповання «...», «...» пише, по информации «...»), or a name of
  the known-channel list; not a sarcastic «ДНР» after "так звана";
- function and common words capitalised at the start of a sentence or a quote (Об, Про, Слава,
  Перемоги, Мир), from a stop list;
- country adjectives ("Український бік", "Российские войска"): demonyms, actors, never places;
- first names before a surname ("Владимир Сальдо").

Lists are data (`lang/<code>/channels.txt`, `name_cues.tsv`, `common_words.txt`,
`function_words.txt`, `demonyms.tsv`, `first_names.txt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geoevents.extract.slavic_data import WORD, WordPatterns, entries, every_adjective_ending, fold, table, words

_QUOTES = re.compile(r"«(?P<a>[^«»\n]{1,80})»|“(?P<b>[^“”\n]{1,80})”|\"(?P<c>[^\"\n]{1,80})\"")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:\n]|[«“\"(]|^\s*[—–-])\s*$")
_SO_CALLED = re.compile(r"(?:так\s+зван\w*|так\s+называем\w*|самопроголошен\w*|самопровозглашенн\w*)\s*$", re.I)
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class NonPlace:
    """A span that must not become a place: `reason` is channel_name, quoted_name, common_word,
    function_word, demonym (with `country`) or first_name."""

    text: str
    start: int
    end: int
    reason: str
    country: str | None = None

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason,
                "country": self.country}


@dataclass(frozen=True)
class _Rules:
    channels: frozenset[str]
    unquoted_channels: WordPatterns
    cues_before: WordPatterns
    cues_after: WordPatterns
    common: frozenset[str]
    function: frozenset[str]
    demonyms: dict[str, str]
    first_names: frozenset[str]


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    channels = entries(lang, "channels")
    cues = table(lang, "name_cues")
    demonyms = {fold(row["stem"]) + ending: row["country"] for row in table(lang, "demonyms")
                for ending in every_adjective_ending(lang)}
    return _Rules(
        channels=frozenset(fold(name) for name in channels),
        # unquoted, only names that cannot be a place word on their own (several words, Latin)
        unquoted_channels=WordPatterns([(" ".join(fold(w) for w in WORD.findall(name)), name) for name in channels
                                        if " " in name or re.search(r"[A-Za-z]", name)]),
        cues_before=WordPatterns([(row["pattern"], "before") for row in cues if row["side"] == "before"]),
        cues_after=WordPatterns([(row["pattern"], "after") for row in cues if row["side"] == "after"]),
        common=words(lang, "common_words"),
        function=words(lang, "function_words"),
        demonyms=demonyms,
        first_names=frozenset(fold(name) for name in entries(lang, "first_names")),
    )


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 40):start]))


def _words_before(text: str, start: int, n: int = 3) -> list[str]:
    return [fold(w) for w in WORD.findall(text[max(0, start - 60):start])][-n:]


def _words_after(text: str, end: int, n: int = 2) -> list[str]:
    return [fold(w) for w in WORD.findall(text[end:end + 40])][:n]


def _cue_before(patterns: WordPatterns, before: list[str]) -> bool:
    """A cue pattern that ends right before the quotes ("телеграм-канал", "посиланням на")."""
    return any((found := patterns.match(before, k)) and k + found[1] == len(before) for k in range(len(before)))


def find_non_places(text: str, lang: str) -> list[NonPlace]:
    """Spans of `text` that are not places, in text order (quoted names first when they overlap)."""
    rules = _rules(lang)
    found: list[NonPlace] = []
    taken: list[tuple[int, int]] = []
    for match in _QUOTES.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        start, end = match.start() + 1, match.end() - 1
        if len(WORD.findall(inner)) > MAX_NAME_WORDS or re.search(r"[.!?]", inner):
            continue  # quoted speech, not a name
        if _SO_CALLED.search(text[max(0, match.start() - 30):match.start()]):
            continue  # так звана «ДНР»: the quotes doubt a real entity
        key = fold(inner.strip())
        before, after = _words_before(text, match.start()), _words_after(text, match.end())
        if key in rules.channels:
            reason = "channel_name"
        elif _cue_before(rules.cues_before, before) or (after and rules.cues_after.match(after, 0)):
            reason = "quoted_name"
        else:
            continue
        found.append(NonPlace(text[start:end], start, end, reason))
        taken.append((start, end))
    tokens = list(WORD.finditer(text))
    keys = [fold(t.group()) for t in tokens]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        first = token.group()[0]
        if not (first.isupper() or first.isascii()) or any(a <= token.start() < b for a, b in taken):
            i += 1
            continue
        channel = rules.unquoted_channels.match(keys, i)
        if channel and (token.group()[:1].isupper() or token.group()[:1].isascii()):
            last = tokens[i + channel[1] - 1]
            found.append(NonPlace(text[token.start():last.end()], token.start(), last.end(), "channel_name"))
            i += channel[1]
            continue
        item = _ordinary(text, tokens, keys, i, rules)
        if item:
            found.append(item)
        i += 1
    found.sort(key=lambda item: item.start)
    return found


def _ordinary(text: str, tokens: list[re.Match[str]], keys: list[str], i: int, rules: _Rules) -> NonPlace | None:
    token, key = tokens[i], keys[i]
    word = token.group()
    if not word[:1].isupper():
        return None
    start, end = token.start(), token.end()
    initial = _at_sentence_start(text, start)
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    adjacent = following is not None and not text[end:following.start()].strip()
    if key in rules.demonyms and (initial or (adjacent and following.group()[:1].islower())):
        return NonPlace(word, start, end, "demonym", rules.demonyms[key])
    if key in rules.first_names and adjacent and following.group()[:1].isupper():
        return NonPlace(word, start, end, "first_name")
    if initial and key in rules.function:
        return NonPlace(word, start, end, "function_word")
    if initial and key in rules.common:
        return NonPlace(word, start, end, "common_word")
    return None


def ordinary_word(text: str, start: int, end: int, lang: str) -> NonPlace | None:
    """Why the candidate span [start, end) is not a place, or None: the rule part B calls on a
    one-word candidate before looking it up (a multi-word name found whole is not checked)."""
    for item in find_non_places(text, lang):
        if item.start < end and start < item.end:
            return item
    return None
