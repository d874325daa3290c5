"""Read the Ukrainian and Russian word lists and tables under `extract/lang/<code>/`.

Rules are language-neutral code; what is Ukrainian or Russian about them lives in data files
(spaCy's `lang/<code>/` layout), so a linguist can correct a word list without touching a rule.
Formats are those of the English files: `.txt` one entry a line, `.tsv` tab-separated with the
column names on the first line; `#` starts a comment line, and ` #` a trailing comment.

Also here: the one word pattern and the one folding rule every uk/ru component matches with,
so "Куп’янськ" / "Куп'янськ" and "Кремлём" / "Кремлем" meet on the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent / "lang"
LANGS = ("uk", "ru")
# A word: letters, with inner apostrophes (п'ять, Обʼєктивна) and hyphens (Каменка-Днепровская).
WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*(?:-[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*)*")
_FOLD = str.maketrans({"ё": "е", "Ё": "е", "’": "'", "ʼ": "'", "`": "'", "‘": "'", "\u00ad": None})


def fold(text: str) -> str:
    """Comparison key of a word or phrase: lower case, ё as е, one apostrophe."""
    return text.translate(_FOLD).lower()


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing language data file")
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            continue
        line = raw.split(" #", 1)[0].rstrip()
        if line.strip():
            out.append(line)
    return out


def _folder(lang: str) -> Path:
    if lang not in LANGS and lang != "en":
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return HERE / lang


@lru_cache(maxsize=None)
def words(lang: str, name: str) -> frozenset[str]:
    """A `.txt` list as a set of folded entries."""
    return frozenset(fold(line.strip()) for line in _lines(_folder(lang) / f"{name}.txt"))


@lru_cache(maxsize=None)
def entries(lang: str, name: str) -> tuple[str, ...]:
    """A `.txt` list as written (not folded), in file order."""
    return tuple(line.strip() for line in _lines(_folder(lang) / f"{name}.txt"))


@lru_cache(maxsize=None)
def table(lang: str, name: str) -> tuple[dict[str, str], ...]:
    """A `.tsv` table as rows keyed by the header's column names (missing trailing cells are '')."""
    path = _folder(lang) / f"{name}.tsv"
    lines = _lines(path)
    header = [cell.strip() for cell in lines[0].split("\t")]
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > len(header):
            raise ValueError(f"{path}: row {number}: {len(cells)} cells, the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return tuple(rows)


ADJECTIVE_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=None)
def adjective_endings(lang: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """gender (fem, masc, neut, plur) -> case -> endings, from `adjective_endings.tsv`."""
    return {row["gender"]: {case: tuple(row[case].split("|")) for case in ADJECTIVE_CASES}
            for row in table(lang, "adjective_endings")}


@lru_cache(maxsize=None)
def every_adjective_ending(lang: str) -> tuple[str, ...]:
    """All adjective endings of `lang`, longest first."""
    found = {e for per_case in adjective_endings(lang).values() for case in per_case.values() for e in case}
    return tuple(sorted(found, key=len, reverse=True))


def alternation(entries: set[str] | frozenset[str] | list[str]) -> str:
    """Literal entries as a regex alternation, longest first (so the longest phrase wins)."""
    return "|".join(re.escape(entry) for entry in sorted(set(entries), key=len, reverse=True))


class WordPatterns:
    """Word-sequence patterns from a table ("кв км", "населен* пункт*", "удар|удари|ударів"),
    matched at a position in a list of folded words, longest pattern first.

    A pattern is words separated by spaces; a word is alternatives joined by `|`, and an
    alternative ending in `*` matches any word that starts with it. Indexed by the first word,
    so matching costs a dictionary look-up or two per position."""

    def __init__(self, rows: list[tuple[str, object]]) -> None:
        self._exact: dict[str, list[tuple[tuple[tuple[str, ...], ...], object]]] = {}
        self._prefix: dict[str, list[tuple[str, tuple[tuple[str, ...], ...], object]]] = {}
        self._starts: dict[str, bool] = {}
        for pattern, value in rows:
            spec = tuple(tuple(fold(alt).rstrip(".") for alt in word.split("|")) for word in pattern.split())
            for alt in spec[0]:
                if alt.endswith("*"):
                    if len(alt) < 3:
                        raise ValueError(f"pattern {pattern!r}: a prefix needs two letters at least")
                    self._prefix.setdefault(alt[:2], []).append((alt[:-1], spec, value))
                else:
                    self._exact.setdefault(alt, []).append((spec, value))
        for bucket in self._exact.values():
            bucket.sort(key=lambda item: -len(item[0]))
        for bucket in self._prefix.values():
            bucket.sort(key=lambda item: (-len(item[1]), -len(item[0])))

    @staticmethod
    def _word_matches(word: str, alternatives: tuple[str, ...]) -> bool:
        return any(word.startswith(alt[:-1]) if alt.endswith("*") else word == alt for alt in alternatives)

    def starts(self, word: str) -> bool:
        """Can a pattern start with this (folded) word? A cheap, memoised test before `match`."""
        known = self._starts.get(word)
        if known is None:
            known = word in self._exact or (word[:2] in self._prefix and any(
                word.startswith(prefix) for prefix, _, _ in self._prefix[word[:2]]))
            if len(self._starts) < 200_000:
                self._starts[word] = known
        return known

    def match(self, words_: list[str], i: int) -> tuple[object, int] | None:
        """(value, number of words) of the longest pattern starting at words_[i], or None."""
        if i >= len(words_) or not self.starts(words_[i]):
            return None
        word = words_[i]
        exact = self._exact.get(word)
        prefixed = self._prefix.get(word[:2])
        if exact is None and prefixed is None:
            return None  # the common case: no pattern starts with this word
        best: tuple[object, int] | None = None
        for spec, value in exact or ():
            best = self._longer(best, spec, value, words_, i)
        for prefix, spec, value in prefixed or ():
            if word.startswith(prefix):
                best = self._longer(best, spec, value, words_, i)
        return best

    def _longer(self, best, spec, value, words_: list[str], i: int):
        n = len(spec)
        if best is not None and n <= best[1]:
            return best
        if i + n <= len(words_) and all(self._word_matches(words_[i + k], spec[k]) for k in range(1, n)):
            return value, n
        return best
