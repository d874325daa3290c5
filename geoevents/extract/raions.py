"""Which oblast a raion, a hromada or a city district belongs to, by its adjective.

"Покровський район", "Суджанском районе", "Куцурубську громаду": the phrase names a district,
not the oblast, so the oblast comes from the shipped unit tables (data/gazetteer: Ukraine's
codifier units in `ua_units.csv.gz`, and the raions of Russia's border oblasts and Crimea as
the registry names them in `ru_settlements.csv.gz`). Names are compared by the adjective's
stem, so any case form leads to the unit; a Ukrainian spelling of a Russian raion
(Глушківський) also meets its Russian name (Глушковский) through a loose key. Files are read
once, on first use; without them the oblast is simply unknown.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geoevents.extract.slavic_data import fold

LEVELS = ("raion", "hromada", "city_district")
# nominative endings a unit adjective is written with (uk Покровський/Куцурубська, ru Суджанский)
_NOMINATIVE = re.compile(r"(?:ий|ый|ой|ій|ая|а|е|ое)$")
_LOOSE = str.maketrans({"і": "и", "ї": "и", "ы": "и", "й": "и", "є": "е", "э": "е", "ґ": "г",
                        "ь": None, "ъ": None, "'": None})


@dataclass(frozen=True)
class Unit:
    """A district-level unit: its name as the table writes it, level and first-level region."""

    name: str
    level: str  # raion | hromada | city_district
    admin1: str
    lang: str  # language of `name`


def stem(adjective: str) -> str:
    """'Покровський' / 'Суджанский' / 'Куцурубська' -> their stem (folded)."""
    return _NOMINATIVE.sub("", fold(adjective))


def loose(stem_key: str) -> str:
    """A stem with the letters Ukrainian and Russian spell differently merged."""
    return stem_key.translate(_LOOSE)


def _units_file(name: str) -> Path | None:
    try:
        from geoevents.paths import gazetteer_dir

        path = gazetteer_dir() / name
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Unit]]:
    index: dict[str, list[Unit]] = {}

    def add(name: str, level: str, admin1: str, lang: str) -> None:
        unit = Unit(name, level, admin1, lang)
        key = stem(name)
        # a Ukrainian і often stands where Russian writes о (Слобідський / Слободской)
        for variant in {loose(key), loose(key.replace("і", "о"))} if lang == "uk" else {loose(key)}:
            if variant and unit not in index.setdefault(variant, []):
                index[variant].append(unit)

    path = _units_file("ua_units.csv.gz")
    if path is not None:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("level") in LEVELS:
                    add(row["name_uk"], row["level"], row["admin1"], "uk")
                    ru_name = re.sub(r"\s+(?:район|община)$", "", row.get("name_ru") or "")
                    if ru_name:
                        add(ru_name, row["level"], row["admin1"], "ru")
    path = _units_file("ru_settlements.csv.gz")
    if path is not None:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            seen: set[tuple[str, str]] = set()
            for row in csv.DictReader(handle):
                municipality = row.get("municipality") or ""
                if municipality.startswith("Город ") or (municipality, row["admin1"]) in seen:
                    continue
                seen.add((municipality, row["admin1"]))
                name = re.sub(r"\s+(?:район|городской округ|муниципальный округ)$", "", municipality)
                if not name.startswith("Городской округ "):  # "Городской округ Белгород": the city
                    add(name, "raion", row["admin1"], "ru")
    return index


def units(adjective_stem: str, levels: tuple[str, ...] = LEVELS) -> list[Unit]:
    """Units whose adjective has this stem (folded, as `stem` gives it), of the levels asked.

    A Ukrainian stem also tries its Russian reading (і written о: Глушків- -> Глушков-)."""
    index = _index()
    keys = [loose(adjective_stem)]
    if "і" in adjective_stem:
        keys.append(loose(adjective_stem.replace("і", "о")))
    found: list[Unit] = []
    for key in keys:
        for unit in index.get(key, ()):
            if unit.level in levels and unit not in found:
                found.append(unit)
    return found
