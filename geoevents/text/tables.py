"""Read the rule tables kept as data files beside the text modules (uk/, ru/)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def read_table(lang: str, name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of geoevents/text/<lang>/<name> (tab-separated; '#' lines and blank lines skipped)."""
    text = resources.files("geoevents.text").joinpath(lang, name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return tuple(rows)
