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


def alternation(entries: set[str] | frozenset[str] | list[str]) -> str:
    """Literal entries as a regex alternation, longest first (so the longest phrase wins)."""
    return "|".join(re.escape(entry) for entry in sorted(set(entries), key=len, reverse=True))
