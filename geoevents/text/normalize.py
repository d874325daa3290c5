"""Normalise place names into comparison keys.

Reporting spells the same place many ways: Khar'kov, Khar’kov, Харків, Харьков,
Kharkiv. Matching therefore compares *keys*, not strings: case folded, accents
and apostrophes dropped, hyphens and spaces removed, Cyrillic transliterated to
Latin (both the Ukrainian and the Russian way, because a Cyrillic string does not
say which language it is). A second, *loose* key further merges romanisation
habits (Luhansk/Lugansk, Zaporizhzhia/Zaporizhzhya, Avdiivka/Avdiyivka) and is
used only when the exact key finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters people and databases use as an apostrophe or a soft-sign mark.
_APOSTROPHES = "'’‘`´ʹʼʻʽ′″\"«»“”„"
_APOSTROPHE_TABLE = {ord(c): None for c in _APOSTROPHES}

# Latin letters that Unicode decomposition does not reduce to ASCII.
_LATIN_EXTRA = {
    "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ə": "e", "ʒ": "z",
}

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "ж": "zh", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ъ": "", "ю": "yu", "я": "ya", "ґ": "g", "ў": "u",
    "ј": "j", "љ": "lj", "њ": "nj", "ђ": "dj", "ћ": "c", "џ": "dz", "ѓ": "gj",
    "ќ": "kj", "ѕ": "dz", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "қ": "k",
    "ғ": "g", "ң": "n", "һ": "h", "і": "i", "ї": "yi", "є": "ye",
}
# Ukrainian conventions (national romanisation, simplified to one form per letter).
UKRAINIAN = {**_COMMON, "г": "h", "е": "e", "и": "y", "й": "y", "ё": "yo",
             "ы": "y", "э": "e"}
# Russian conventions (BGN/PCGN-like).
RUSSIAN = {**_COMMON, "г": "g", "е": "e", "и": "i", "й": "y", "ё": "e",
           "ы": "y", "э": "e"}

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_NON_ALNUM = re.compile(r"[^0-9a-z\u0400-\u04ff]+")
_NON_KEY = re.compile(r"[^0-9a-z]")
_ASCII_WORD = re.compile(r"[0-9a-z]+")


def _translit(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


def _fold(text: str) -> str:
    """Case-fold, compose, and drop apostrophes; keep Cyrillic letters intact."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHE_TABLE)
    # й, ї, ё must survive accent stripping: they are letters, not accents.
    return text


def _strip_accents(text: str) -> str:
    text = "".join(_LATIN_EXTRA.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[tuple[str, ...], ...]:
    """Word tokens of `text` in each plausible transliteration.

    Returns one token list per reading: a Latin string has one reading, a
    Cyrillic one has a Ukrainian and a Russian reading (identical lists are
    merged)."""
    if text.isascii():
        # fast path for plain Latin names (most queries): no Unicode work needed
        words = tuple(_ASCII_WORD.findall(text.lower().translate(_APOSTROPHE_TABLE)))
        return (words,) if words else ()
    folded = _fold(text)
    if _CYRILLIC.search(folded):
        readings = [_translit(folded, UKRAINIAN), _translit(folded, RUSSIAN)]
    else:
        readings = [folded]
    out: list[tuple[str, ...]] = []
    for reading in readings:
        plain = _strip_accents(reading)
        words = [_NON_KEY.sub("", w) for w in _NON_ALNUM.split(plain) if w]
        key_words = tuple(w for w in words if w)
        if key_words not in out:
            out.append(key_words)
    return tuple(out)


@lru_cache(maxsize=65536)
def name_keys(text: str) -> tuple[str, ...]:
    """Exact comparison keys of a name (one per transliteration)."""
    keys: list[str] = []
    for words in tokens(text):
        key = "".join(words)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


# Multi-letter romanisation habits first, then single letters in one pass.
_LOOSE_PAIRS = (
    ("dzh", "j"), ("dj", "j"), ("shch", "sc"), ("sch", "sc"), ("zh", "z"), ("kh", "h"),
    ("ch", "c"), ("sh", "s"), ("ts", "c"), ("tz", "c"),
)
_LOOSE_LETTERS = str.maketrans({"j": "i", "y": "i", "w": "v", "g": "h", "q": "k", "x": "ks"})
_REPEATS = re.compile(r"(.)\1+")


def loose_key(key: str) -> str:
    """Merge romanisation habits: kh/h, g/h, y/i, ts/c, ie/e, doubled letters..."""
    for old, new in _LOOSE_PAIRS:
        if old in key:
            key = key.replace(old, new)
    key = key.translate(_LOOSE_LETTERS)
    if "ie" in key:
        key = key.replace("ie", "e")
    return _REPEATS.sub(r"\1", key)


# Words that mark a first-level region ("Kursk Oblast", "the Sumy region").
REGION_WORDS = frozenset({
    "oblast", "oblasti", "oblastu", "oblasts", "obl", "region", "regions", "province",
    "provintsiya", "krai", "kray", "kraj", "krayu", "kraiu", "respublika",
    "respubliky", "respubliki", "republic", "republika", "autonomous", "avtonomna",
    "avtonomnaya", "okrug", "avtonomnyy", "avtonomniy",
    # transliterated Cyrillic forms of "область", "області", "области", "край"...
    "oblastі", "oblasty",
})
_STOP_WORDS = frozenset({"the", "of", "in"})

# Adjectival endings of region names, longest first (Kurskaya, Kharkivska,
# Харківська -> kharkivska, Курської -> kurskoyi, Kharkovskoy ...).
_ADJ_ENDINGS = (
    "skoyi", "skoho", "skoye", "skogo", "skaya", "skoy", "skoi", "skiy", "skyi",
    "skyy", "skij", "skii", "skaia", "ska", "sky", "ski", "ska", "skoj",
    "ckaya", "cka", "tskaya", "tska", "zka", "zkaya", "zkoyi",
)


def adjective_root(key: str) -> str:
    """Strip an adjectival region ending: 'kurskaya' -> 'kur', 'sumska' -> 'sum'.

    Both the query and the index are reduced the same way, so the roots only
    have to agree with each other, not be linguistically right."""
    for ending in _ADJ_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            return key[: -len(ending)]
    return key


# Ukrainian region nicknames: Харківщина (Kharkiv region), Донеччина (Donetsk).
_SHCHYNA = (("chchyna", "tsk"), ("chchina", "tsk"), ("shchyna", ""), ("shchina", ""))


def _region_nickname(word: str) -> str | None:
    for ending, replacement in _SHCHYNA:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
    return None


@lru_cache(maxsize=65536)
def only_region_words(text: str) -> bool:
    """True for 'oblast', 'the region': region words and no name."""
    readings = tokens(text)
    return bool(readings) and all(
        words and all(w in REGION_WORDS or w in _STOP_WORDS for w in words) for words in readings
    )


@lru_cache(maxsize=65536)
def split_region_words(text: str) -> tuple[tuple[str, bool], ...]:
    """For each reading: (key without region/stop words, had_region_word)."""
    out: list[tuple[str, bool]] = []
    for words in tokens(text):
        nickname = _region_nickname(words[-1]) if len(words) == 1 else None
        if nickname:
            out.append((nickname, True))
            continue
        kept = [w for w in words if w not in REGION_WORDS and w not in _STOP_WORDS]
        had = len(kept) < len([w for w in words if w not in _STOP_WORDS])
        key = "".join(kept)
        if key and (key, had) not in out:
            out.append((key, had))
    return tuple(out)
