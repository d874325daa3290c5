"""Sentence and paragraph splitting that keeps character offsets.

Offsets into the original text are what let a reviewer jump from a draft event
back to its evidence, so every span here is a (start, end) into the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep st mt ft no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec approx est inc ltd co corp
    u.s u.k u.n e.g i.e a.m p.m km sq""".split()
)
CLOSERS = "\"'”’)]»"
OPENERS = "\"'“‘([«"
_BOUNDARY = re.compile(r"[.!?…]+[" + re.escape(CLOSERS) + r"]*(?=\s+|$)")
_MARKDOWN_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, offsets into the document and its paragraph number."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of non-empty lines; markdown image lines are skipped (no prose there)."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not _MARKDOWN_IMAGE.match(line):
            lead = len(line) - len(line.lstrip())
            spans.append((position + lead, position + lead + len(stripped)))
        position += len(line)
    return spans


def _ends_sentence(text: str, match: re.Match[str], para_end: int) -> bool:
    """Decide whether the punctuation at `match` closes a sentence."""
    end = match.end()
    if end >= para_end:
        return True
    if match.group().startswith("."):
        word = re.search(r"([\w.]+)\.$", text[max(0, match.start() - 40): match.start() + 1])
        if word:
            token = word.group(1).lower().rstrip(".")
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                return False
            if token.isdigit() and re.match(r"\s+\d", text[end:]):
                return False
    following = text[end:para_end].lstrip()
    if not following:
        return True
    first = following[0]
    # A new sentence starts with a capital, a digit or an opening quote.
    return first.isupper() or first.isdigit() or first in OPENERS or first in "—–-"


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; a line break always ends a sentence (headlines, datelines)."""
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            if not _ends_sentence(text, match, p_end):
                continue
            _append(sentences, text, start, match.end(), number)
            start = match.end()
        _append(sentences, text, start, p_end, number)
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        begin = start + lead
        sentences.append(Sentence(len(sentences), begin, begin + len(chunk), chunk, paragraph))
