"""Which language a document or a paragraph is written in: Ukrainian, Russian, English or other.

The Ukrainian and Russian rules (case endings, month names, speech verbs) only apply to their
own language, and an analyst pastes mixed text (a Ukrainian post quoting a Russian channel, an
English wire story with a Russian quote). The two Cyrillic languages are told apart by the
letters only one of them writes (і ї є ґ and the apostrophe; ы э ъ ё), then by function words
only one of them uses (та, що, від; и, что, от) and a few letter sequences (word-initial и,
-ия/-ие in Russian; -ння in Ukrainian), so a short Telegram line still gets a verdict. Letter
counts use `str.count` and words one compiled pattern: linear in the text and fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geoevents.extract.slavic_data import entries, table, words

LANGUAGES = ("uk", "ru", "en", "other")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_TOKENS = re.compile(r"[^\W\d_]+")
_APOSTROPHE = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])['’ʼ](?=[яюєї])", re.I)
# Letters of other Cyrillic languages: Belarusian ў, Serbian/Macedonian ј љ њ ћ џ ѓ ќ ѕ.
_OTHER_CYRILLIC = "ўјљњћџѓќѕ"
# Russian writes ъ only before е ё ю я (подъезд); Bulgarian anywhere (България, във).
_BULGARIAN_HARD_SIGN = re.compile(r"ъ(?=[бвгджзклмнпрстфхцчшщ])")
_LETTER_WEIGHT = {"ы": 3.0, "э": 3.0, "ё": 3.0, "ъ": 1.0, "і": 3.0, "ї": 3.0, "є": 3.0, "ґ": 3.0}


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a stretch of text, how sure the rule is (0..1) and the evidence."""

    lang: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LanguageSpan:
    """One paragraph (a non-empty line) with its language; offsets into the text."""

    start: int
    end: int
    lang: str
    confidence: float


@lru_cache(maxsize=1)
def _profile() -> dict[str, object]:
    uk_words, ru_words = words("uk", "function_words"), words("ru", "function_words")
    cues = {}
    for lang in ("uk", "ru"):
        compiled = []
        for row in table(lang, "langid_cues"):
            cue = re.escape(row["cue"])
            pattern = {"start": rf"(?<![^\W\d_]){cue}", "end": rf"{cue}(?![^\W\d_])", "any": cue}[row["position"]]
            compiled.append((re.compile(pattern), float(row["weight"])))
        cues[lang] = compiled
    return {"uk": uk_words - ru_words, "ru": ru_words - uk_words, "en": words("en", "langid_words"),
            "letters_uk": "".join(entries("uk", "letters")), "letters_ru": "".join(entries("ru", "letters")),
            "cues": cues}


def detect_language(text: str, *, default: str | None = None) -> LanguageGuess:
    """The language of `text`: 'uk', 'ru', 'en' or 'other'.

    `default` is returned (with confidence 0) when the text carries no evidence at all, e.g. a
    Cyrillic line of names only; without it such a line is 'ru' at confidence 0, and a text
    with no letters is 'other'."""
    profile = _profile()
    low = text.lower()
    cyrillic = len(_CYRILLIC.findall(low))
    latin = len(_LATIN.findall(low))
    tokens = _TOKENS.findall(low)
    if not cyrillic and not latin:
        return LanguageGuess(default or "other", 0.0, {})
    if latin > cyrillic:
        hits = sum(token in profile["en"] for token in tokens)
        share = latin / (latin + cyrillic)
        if hits:
            return LanguageGuess("en", round(share * min(1.0, hits / 3), 3), {"en": float(hits)})
        return LanguageGuess(default or "other", 0.0, {"en": 0.0})
    if any(ch in low for ch in _OTHER_CYRILLIC):
        return LanguageGuess("other", 0.5, {})
    scores = {"uk": 0.0, "ru": 0.0}
    for lang in ("uk", "ru"):
        scores[lang] += sum(_LETTER_WEIGHT.get(ch, 1.0) * low.count(ch) for ch in profile[f"letters_{lang}"])
        scores[lang] += sum(token in profile[lang] for token in tokens)
        scores[lang] += sum(weight * len(pattern.findall(low)) for pattern, weight in profile["cues"][lang])
    scores["uk"] += 3.0 * len(_APOSTROPHE.findall(low))
    if _BULGARIAN_HARD_SIGN.search(low) and not any(ch in low for ch in "ыэё"):
        return LanguageGuess("other", 0.3, scores)  # Bulgarian: ъ before a consonant, never ы or э
    uk, ru = scores["uk"], scores["ru"]
    if uk == ru:
        return LanguageGuess(default or "ru", 0.0, scores)
    best = "uk" if uk > ru else "ru"
    confidence = abs(uk - ru) / (uk + ru + 1.0)
    return LanguageGuess(best, round(confidence, 3), scores)


def detect_paragraphs(text: str, *, default: str | None = None) -> list[LanguageSpan]:
    """The language of every paragraph (non-empty line) of `text`, for mixed documents.

    A line with no evidence of its own (a list of names, a time stamp) takes the language of the
    whole document, so a one-word line never flips a Ukrainian post to Russian."""
    document = detect_language(text, default=default)
    fallback = document.lang if document.confidence > 0 else default
    spans: list[LanguageSpan] = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            guess = detect_language(stripped, default=fallback)
            spans.append(LanguageSpan(position + lead, position + lead + len(stripped), guess.lang, guess.confidence))
        position += len(line)
    return spans


def language_at(spans: list[LanguageSpan], offset: int, default: str = "other") -> str:
    """The language of the paragraph holding `offset` (for components that run per sentence)."""
    for span in spans:
        if span.start <= offset < span.end:
            return span.lang
    return default
