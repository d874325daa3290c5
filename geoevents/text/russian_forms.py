"""Write a Ukrainian place name the way Russian-language sources write it.

Russian MoD statements and Russian-language media name Ukrainian villages in
Russian (Желанное for Желанне, Новомихайловка for Новомихайлівка), and no
registry lists those forms for villages. The rules in geoevents/text/uk/uk2ru_*.tsv
are applied per word, in this order: whole words (Мала -> Малая), stems at the
start of a word (Микола- -> Никола-), the longest matching ending (-івка -> -овка,
-не -> -ное), infixes anywhere (дніпр -> днепр), then letters (і/ї -> и, є -> е,
apostrophe -> ь before я/ю/є/ї). Measured on 2,533 real (uk, ru) pairs: one form is
exact for about 56% and within two edits for about 96%, so callers should match
Russian queries against these forms with a small edit distance.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from geoevents.text.tables import read_table

_APOSTROPHE = re.compile(r"[’ʼ`´‘']")
_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "'": ""})
_SOFT_SIGN = re.compile(r"(?<=[бвмпрфдтзснл])'(?=[яюєї])")
_SPLIT = re.compile(r"([\s\-]+)")


def _longest_first(rows) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((r[0], r[1]) for r in rows), key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _rules():
    words = dict((r[0], r[1]) for r in read_table("uk", "uk2ru_words.tsv"))
    return (words, _longest_first(read_table("uk", "uk2ru_roots.tsv")),
            _longest_first(read_table("uk", "uk2ru_endings.tsv")),
            _longest_first(read_table("uk", "uk2ru_infix.tsv")))


def _word(word: str) -> str:
    words, roots, endings, infixes = _rules()
    if word in words:
        return words[word]
    for old, new in roots:
        if word.startswith(old):
            word = new + word[len(old):]
            break
    for old, new in endings:
        if word.endswith(old) and len(word) > len(old) + 1:
            word = word[: -len(old)] + new
            break
    for old, new in infixes:
        word = word.replace(old, new)
    word = _SOFT_SIGN.sub("ь", word)
    if word.startswith("є"):
        word = "е" + word[1:]
    return word.translate(_LETTERS)


def _recase(template: str, word: str) -> str:
    """Give `word` the capitalisation of `template` (first letter only)."""
    if template[:1].isupper() and word:
        return word[0].upper() + word[1:]
    return word


@lru_cache(maxsize=65536)
def russian_form(name_uk: str) -> str:
    """The main Russian form of a Ukrainian place name: Желанне -> Желанное."""
    text = _APOSTROPHE.sub("'", unicodedata.normalize("NFC", name_uk.strip()))
    parts = _SPLIT.split(text)
    out = []
    for part in parts:
        if not part or _SPLIT.fullmatch(part):
            out.append(part)
        else:
            out.append(_recase(part, _word(part.lower())))
    return "".join(out)


_ADJECTIVAL_O = re.compile(r"(ов|ев|ин)о$")


def russian_forms(name_uk: str) -> list[str]:
    """The main Russian form, plus the adjectival reading of -ово/-ево/-ино names
    (Лісове -> Лесово and Лесовое; Курахове -> Курахово and Кураховое)."""
    main = russian_form(name_uk)
    alt = _ADJECTIVAL_O.sub(r"\1ое", main)
    return [main] if alt == main else [main, alt]
