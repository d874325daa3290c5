"""The offline gazetteer: place names -> places, regions and countries.

Matching runs through normalised keys (see `geoevents.text.normalize`) in three
tiers: exact keys, loose keys (romanisation habits merged), then a fuzzy
fallback that says so. Candidates are ranked on a log-population scale:

    rank = log10(population + 10) + feature bonus + match penalty + hints

so an alternate-name match (often a historic name: GeoNames lists "Pokrovsk"
among Engels' old names) must belong to a place about five times larger than a
primary-name match to beat it. The `score` (0..1) combines match quality with
the top candidate's share of the plausible weight; a low share means several
plausible places and sets `ambiguous`.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from geoevents.text.normalize import (
    adjective_root,
    loose_key,
    name_keys,
    only_region_words,
    split_region_words,
)

MAX_QUERY_CHARS = 200
FIELDS = (
    "query", "name", "latitude", "longitude", "country_code", "admin1_code",
    "admin1_name", "feature", "population", "geonames_id", "score", "ambiguous",
    "candidates", "source", "error",
)

# Rank terms in log10(population) units.
FEATURE_BASE = {1: 6.0, 2: 9.0}            # admin1, country (places use population)
KIND_PENALTY = {0: 0.0, 1: -0.15, 2: -0.9, 3: -1.8}  # primary, current, alternate, bare region alias
MATCH_QUALITY = {"exact": 1.0, "alternate": 0.93, "region": 1.0, "loose": 0.85}
LOOSE_PENALTY = -0.3
SIGNIFICANT_POPULATION = 5000
LOOSE_AFTER_PRIMARY = -2.2  # loose-only candidates when the exact key named a current place
FOCUS_BONUS = 0.5
AMBIGUOUS_SHARE = 0.75
NEAR_KM_PER_UNIT = 100.0   # 100 km away costs a factor of ten in population
MAX_CANDIDATES = 10
RESULT_CACHE_SIZE = 50_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$")
_ISO_REGION = re.compile(r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")
_GEONAMES_ADMIN1 = re.compile(r"^[A-Za-z]{2}\.[A-Za-z0-9]{1,3}$")


class GazetteerError(ValueError):
    """A hint or argument the gazetteer cannot use (says what and why)."""


def empty_result(query: Any, error: str | None, source: str = "gazetteer") -> dict[str, Any]:
    """A result with no location, used for errors."""
    return {
        "query": query, "name": None, "latitude": None, "longitude": None,
        "country_code": None, "admin1_code": None, "admin1_name": None, "feature": None,
        "population": None, "geonames_id": None, "score": 0.0, "ambiguous": False,
        "candidates": [], "source": source, "error": error,
    }


def parse_latlon(text: str) -> tuple[float, float] | None:
    """'50.0,36.2' -> (50.0, 36.2), or None when `text` is not a coordinate pair."""
    match = _LATLON.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"coordinates out of range: {text!r} (expected LAT,LON)")
    return lat, lon


class Gazetteer:
    """Offline geocoder over GeoNames places, admin-1 regions and countries."""

    _default: "Gazetteer | None" = None
    _default_lock = threading.Lock()

    def __init__(self, index=None, *, focus: Sequence[str] = ("UA", "RU")) -> None:
        if index is None:
            from geoevents.places.index import load_index

            index = load_index()
        self.index = index
        # Countries the project reports on get a small rank bonus (documented in
        # docs/geocoding.md); pass focus=() for a neutral world gazetteer.
        self.focus = frozenset(c.upper() for c in focus)
        self._unit = None
        self._region_cache: dict[str, dict | None] = {}
        # Event tables repeat names; results are cached per (query, hints).
        self._results: dict[tuple, dict[str, Any]] = {}
        self._entities: dict[int, dict[str, Any]] = {}
        self._base = None

    @classmethod
    def default(cls) -> "Gazetteer":
        """Process-wide instance (the index is loaded or built once)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    # ------------------------------------------------------------------ lookup
    def lookup(self, query: str, *, country: Sequence[str] | str | None = None,
               near: tuple[float, float] | str | None = None, within: str | None = None,
               fuzzy: bool = True) -> dict[str, Any]:
        """Resolve one name to the RESULT CONTRACT dict (never raises on bad names)."""
        cache_key = None
        if isinstance(query, str) and (near is None or isinstance(near, (str, tuple))):
            hint = country if country is None or isinstance(country, str) else tuple(sorted(map(str, country)))
            cache_key = (query, hint, near, within, fuzzy)
            cached = self._results.get(cache_key)
            if cached is not None:
                return _copy_result(cached)
        result = self._lookup(query, country, near, within, fuzzy)
        if cache_key is not None:
            if len(self._results) >= RESULT_CACHE_SIZE:
                _drop_oldest(self._results)
            self._results[cache_key] = _copy_result(result)
        return result

    def _lookup(self, query, country, near, within, fuzzy) -> dict[str, Any]:
        cleaned, problem = _clean_query(query)
        if problem:
            return empty_result(query if isinstance(query, str) else repr(query), problem)
        try:
            countries = _parse_countries(country)
            near_point = self._resolve_near(near)
            within_filter = self._resolve_within(within)
        except GazetteerError as error:
            return empty_result(query, str(error))
        if within_filter and within_filter[0] == "country":
            countries = (countries or set()) | {within_filter[1]}
            within_filter = None

        if "," in cleaned:
            # "Sudzha, Kursk Oblast", "Kyiv, Ukraine": the parts after a comma
            # become within/country hints unless the whole string is a name.
            matches, how = self._match(cleaned, False)
            if not matches:
                head, qualifiers = self._split_qualifiers(cleaned)
                if head is not None:
                    for kind, code in qualifiers:
                        if kind == "country":
                            countries = (countries or set()) | {code}
                        else:
                            within_filter = (kind, code)
                    cleaned = head
                    matches, how = self._match(cleaned, fuzzy)
                elif fuzzy:
                    matches, how = self._match(cleaned, fuzzy)
        else:
            matches, how = self._match(cleaned, fuzzy)
        if not matches:
            return empty_result(query, f"no place, region or country named {cleaned!r} in the offline gazetteer")
        filtered = self._filter(matches, countries, within_filter)
        if not filtered:
            hint = []
            if countries:
                hint.append("country " + ",".join(sorted(countries)))
            if within_filter:
                hint.append(f"within {within_filter[1]}")
            names = sorted({self.index.names[e] for e in list(matches)[:5]})
            return empty_result(
                query,
                f"{cleaned!r} matches {', '.join(names)} but none in {' and '.join(hint)}",
            )
        return self._rank(query, filtered, how, near_point)

    def _split_qualifiers(self, text: str):
        """'Sudzha, Kursk Oblast, Russia' -> ('Sudzha', [('admin1', 'RU-KRS'), ('country', 'RU')]).

        Returns (None, []) when a qualifier is neither a country nor a region."""
        head, *rest = [part.strip() for part in text.split(",")]
        if not head or not rest:
            return None, []
        qualifiers = []
        for part in rest:
            if not part:
                continue
            if len(part) == 2 and part.isalpha():
                qualifiers.append(("country", part.upper()))
                continue
            matches, _ = self._match(part, False)
            country = next((e for e in matches if self.index.feature[e] == 2), None)
            if country is not None:
                qualifiers.append(("country", self.index.country[country]))
                continue
            region = self.region(part)
            if region is None:
                return None, []
            qualifiers.append(("admin1", region["admin1_code"]))
        return head, qualifiers

    def lookup_many(self, queries: Iterable[str], **hints: Any) -> list[dict[str, Any]]:
        """`lookup` for each query, in order (hints apply to every query)."""
        if isinstance(hints.get("near"), str):
            point = parse_latlon(hints["near"])
            if point is None:
                resolved = self.lookup(hints["near"])
                if resolved["error"] is None:
                    hints["near"] = (resolved["latitude"], resolved["longitude"])
        return [self.lookup(q, **hints) for q in queries]

    # ----------------------------------------------------------------- matching
    def _match(self, text: str, fuzzy: bool) -> tuple[dict[int, tuple[int, float]], str]:
        """entity -> (kind, extra rank term); and how it matched."""
        ix = self.index
        readings = split_region_words(text)
        found: dict[int, tuple[int, float]] = {}

        def take(postings, extra: float, only_admin1: bool = False) -> None:
            for entity, kind in postings:
                if only_admin1 and ix.feature[entity] != 1:
                    continue
                old = found.get(entity)
                if old is None or KIND_PENALTY[kind] + extra > KIND_PENALTY[old[0]] + old[1]:
                    found[entity] = (kind, extra)

        if any(had for _, had in readings):
            for stem, had in readings:
                if not had:
                    continue
                take(ix.region.get(stem), 0.0, True)
                take(ix.region.get(adjective_root(stem)), -0.1, True)
            if not found:
                for stem, had in readings:
                    take(ix.region.get(loose_key(stem)), LOOSE_PENALTY, True)
                    take(ix.region.get(loose_key(adjective_root(stem))), LOOSE_PENALTY, True)
            if found:
                return found, "region"
        keys = name_keys(text)
        for key in keys:
            take(ix.exact.get(key), 0.0)
        # A romanisation variant of a bigger place's current name (Nikolayev ~
        # Николаев, Mykolaiv) may beat an exact match of a hamlet: loose keys
        # join the candidates with a small penalty.
        exact_found = bool(found)
        penalty = LOOSE_PENALTY
        if any(kind <= 1 and (ix.feature[e] != 0 or ix.pop[e] >= SIGNIFICANT_POPULATION)
               for e, (kind, _) in found.items()):
            # the exact key names a town (or region, country) by a current name:
            # loose variants could only win with ~150x the population; skip them
            return found, "exact"
        for key in keys:
            if len(key) >= 4:   # "It" must not loosely become "Jit"
                take(ix.loose.get(loose_key(key)), penalty)
        if found:
            return found, "exact" if exact_found else "loose"
        if fuzzy:
            for key in keys:
                if len(key) < 4:
                    continue
                for candidate, ratio in ix.fuzzy.candidates(key):
                    take(ix.exact.get(candidate), -1.0 - (100.0 - ratio) / 10.0)
            if found:
                return found, "fuzzy"
        return {}, "none"

    def _filter(self, matches, countries, within):
        ix = self.index
        out = {}
        for entity, value in matches.items():
            if countries and ix.country[entity] not in countries:
                continue
            if within:
                a1 = ix.admin1_index[entity]
                if a1 < 0 or ix.admin1[a1]["admin1_code"] != within[1]:
                    continue
            out[entity] = value
        return out

    def _rank(self, query, matches, how, near_point) -> dict[str, Any]:
        ix = self.index
        scored = []
        base_rank = self._base_rank()
        for entity, (kind, extra) in matches.items():
            rank = base_rank[entity] + KIND_PENALTY[kind] + extra
            distance = None
            if near_point is not None and not math.isnan(ix.lat[entity]):
                distance = _haversine_km(near_point, (ix.lat[entity], ix.lon[entity]))
                rank -= distance / NEAR_KM_PER_UNIT
            scored.append((rank, ix.pop[entity], entity, kind, extra, distance))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))

        top_rank, _, top_entity, top_kind, top_extra, _ = scored[0]
        # Plausible competitors: same or better kind of name match (a historic
        # alternate name of another place does not make a primary name ambiguous).
        weights = [10 ** (r - top_rank) for r, _, _, k, _, _ in scored
                   if k <= top_kind or r >= top_rank]
        share = 1.0 / sum(weights)
        ambiguous = share < AMBIGUOUS_SHARE and len(weights) > 1

        if how == "fuzzy":
            quality = max(0.05, min(0.7, 0.7 + top_extra / 10))
            match = "fuzzy"
        else:
            quality = MATCH_QUALITY["loose" if how == "loose" else ("alternate" if top_kind else how)]
            match = how if how != "exact" else ("exact" if top_kind == 0 else "alternate")
        score = round(quality * (0.4 + 0.6 * share), 3)

        result = self._entity_dict(top_entity)
        result.update(query=query, score=score, ambiguous=ambiguous, source="gazetteer",
                      error=None, match=match)
        candidates = []
        if len(scored) > 1:
            total = sum(10 ** (r - top_rank) for r, *_ in scored)
            for rank, _, entity, kind, extra, distance in scored[:MAX_CANDIDATES]:
                candidate = self._entity_dict(entity)
                candidate["query"] = query
                candidate["score"] = round(quality * (0.4 + 0.6 * 10 ** (rank - top_rank) / total), 3)
                candidate["ambiguous"] = ambiguous
                candidate["match"] = match
                candidate["candidates"] = []
                if distance is not None:
                    candidate["distance_km"] = round(distance, 1)
                candidates.append(candidate)
        result["candidates"] = candidates
        return result

    def _base_rank(self):
        """Per-entity rank before name kind and hints (vectorised once)."""
        if self._base is None:
            import numpy as np

            from geoevents.places.index import Column

            ix = self.index
            feature = ix.feature_array
            base = np.log10(ix.pop_array.astype(np.float64) + 10)
            for code, value in FEATURE_BASE.items():
                base[feature == code] = value
            focus = np.isin(ix.country.array, sorted(self.focus)) if self.focus else False
            self._base = Column(base + np.where(focus, FOCUS_BONUS, 0.0))
        return self._base

    def _entity_dict(self, entity: int) -> dict[str, Any]:
        cached = self._entities.get(entity)
        if cached is None:
            if len(self._entities) >= RESULT_CACHE_SIZE:
                _drop_oldest(self._entities)
            cached = self._entities[entity] = self._make_entity_dict(entity)
        return dict(cached)

    def _make_entity_dict(self, entity: int) -> dict[str, Any]:
        ix = self.index
        a1 = ix.admin1_index[entity]
        region = ix.admin1[a1] if a1 >= 0 else None
        lat, lon = ix.lat[entity], ix.lon[entity]   # rounded to 5 decimals at build
        feature = ix.feature[entity]
        return {
            "query": None,
            "name": ix.names[entity],
            "latitude": None if lat != lat else lat,
            "longitude": None if lon != lon else lon,
            "country_code": ix.country[entity],
            "admin1_code": region["admin1_code"] if region else None,
            "admin1_name": region["admin1_name"] if region else None,
            "feature": ("place", "admin1", "country")[feature],
            "population": ix.pop[entity],
            "geonames_id": ix.gid[entity] or None,
            "score": 1.0,
            "ambiguous": False,
            "candidates": [],
            "source": "gazetteer",
            "error": None,
        }

    # ------------------------------------------------------------------ hints
    def _resolve_near(self, near) -> tuple[float, float] | None:
        if near is None or near == "":
            return None
        if isinstance(near, (tuple, list)) and len(near) == 2:
            lat, lon = float(near[0]), float(near[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"near coordinates out of range: {near!r}")
            return lat, lon
        if isinstance(near, str):
            point = parse_latlon(near)
            if point is not None:
                return point
            resolved = self.lookup(near, fuzzy=False)
            if resolved["error"] is None and resolved["latitude"] is not None:
                return resolved["latitude"], resolved["longitude"]
            raise GazetteerError(f"cannot resolve the 'near' hint {near!r}")
        raise GazetteerError(f"'near' must be (lat, lon) or a place name, not {near!r}")

    def _resolve_within(self, within) -> tuple[str, str] | None:
        if within is None or str(within).strip() == "":
            return None
        text = str(within).strip()
        if len(text) == 2 and text.isalpha():
            return ("country", text.upper())
        region = self.region(text)
        if region is None:
            resolved = self.lookup(text, fuzzy=False)
            if resolved["error"] is None and resolved["feature"] == "country":
                return ("country", resolved["country_code"])
            raise GazetteerError(f"unknown region for 'within': {text!r} (use an ISO 3166-2 code such as UA-63, or a region name)")
        return ("admin1", region["admin1_code"])

    # ---------------------------------------------------------------- regions
    def region(self, code_or_name: str) -> dict[str, Any] | None:
        """An admin-1 region by ISO 3166-2 code, GeoNames admin1 code, or name."""
        if not isinstance(code_or_name, str) or not code_or_name.strip():
            return None
        text = code_or_name.strip()
        if text in self._region_cache:
            return self._region_cache[text]
        position = None
        if _ISO_REGION.match(text):
            position = next((i for i, r in enumerate(self.index.admin1) if r["admin1_code"] == text.upper()), None)
        elif _GEONAMES_ADMIN1.match(text):
            position = next((i for i, r in enumerate(self.index.admin1) if r["geonames_admin1"] == text.upper()), None)
        if position is None:
            position = self._region_by_name(text)
        record = self.index.admin1[position] if position is not None else None
        out = None
        if record is not None:
            out = {
                "admin1_code": record["admin1_code"],
                "geonames_admin1": record["geonames_admin1"],
                "admin1_name": record["admin1_name"],
                "country_code": record["country_code"],
                "latitude": record["latitude"],
                "longitude": record["longitude"],
                "geonames_id": record["geonames_id"],
                "aliases": self.index.admin1_aliases(position),
            }
        self._region_cache[text] = out
        return out

    def _region_by_name(self, text: str):
        ix = self.index
        cleaned, problem = _clean_query(text)
        if problem:
            return None
        candidates: dict[int, float] = {}
        for stem, _ in split_region_words(cleaned):
            for key, penalty in ((stem, 0.0), (adjective_root(stem), -0.1)):
                for entity, kind in ix.region.get(key):
                    if ix.feature[entity] == 1:
                        candidates[entity] = max(candidates.get(entity, -9.0), penalty - kind)
        for key in name_keys(cleaned):
            for entity, kind in ix.exact.get(key):
                if ix.feature[entity] == 1:
                    candidates[entity] = max(candidates.get(entity, -9.0), -kind * 0.5)
        if not candidates:
            return None

        def order(entity: int):
            focus = FOCUS_BONUS if ix.country[entity] in self.focus else 0.0
            return (candidates[entity] + focus, math.log10(ix.pop[entity] + 10))

        best = max(candidates, key=order)
        return ix.admin1_index[best]

    # ---------------------------------------------------------------- nearest
    def nearest_places(self, lat: float, lon: float, n: int = 5,
                       min_population: int = 0) -> list[dict[str, Any]]:
        """The `n` populated places nearest to (lat, lon), with geodesic km."""
        import numpy as np
        from pyproj import Geod

        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"coordinates out of range: {lat}, {lon}")
        ix = self.index
        unit, places = self._unit_vectors()
        eligible = places
        if min_population > 0:
            eligible = places[ix.pop_array[places] >= min_population]
        if len(eligible) == 0 or n <= 0:
            return []
        target = _unit(lat, lon)
        dots = unit[eligible] @ target if min_population > 0 else unit @ target
        take = min(n, len(eligible))
        best = np.argpartition(-dots, take - 1)[:take]
        best = best[np.argsort(-dots[best])]
        entities = eligible[best]
        geod = Geod(ellps="WGS84")
        lats = ix.lat_array[entities]
        lons = ix.lon_array[entities]
        _, _, metres = geod.inv(np.full(take, lon), np.full(take, lat), lons, lats)
        out = []
        for entity, distance in zip(entities.tolist(), np.atleast_1d(metres).tolist()):
            item = self._entity_dict(entity)
            item.update(query=None, score=1.0, ambiguous=False, candidates=[],
                        source="gazetteer", error=None, distance_km=round(distance / 1000, 3))
            out.append(item)
        out.sort(key=lambda item: item["distance_km"])
        return out

    def _unit_vectors(self):
        import numpy as np

        if self._unit is None:
            places = np.flatnonzero(self.index.feature_array == 0)
            lat = np.radians(self.index.lat_array[places])
            lon = np.radians(self.index.lon_array[places])
            unit = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
            self._unit = (unit, places)
        return self._unit


def _drop_oldest(cache: dict) -> None:
    """Evict the oldest quarter of a cache (dicts keep insertion order)."""
    try:
        for key in list(itertools.islice(cache, len(cache) // 4 or 1)):
            cache.pop(key, None)
    except RuntimeError:   # another thread changed the cache meanwhile
        cache.clear()


def _copy_result(result: dict[str, Any]) -> dict[str, Any]:
    """A copy callers may modify without touching the cache."""
    out = dict(result)
    out["candidates"] = [dict(c) for c in result["candidates"]]
    return out


def _unit(lat: float, lon: float):
    import numpy as np

    la, lo = math.radians(lat), math.radians(lon)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km (ranking only; reported distances use pyproj.Geod)."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _clean_query(query: Any) -> tuple[str, str | None]:
    """Validate and tidy a query; returns (text, problem)."""
    if not isinstance(query, str):
        return "", f"query must be text, not {type(query).__name__}"
    if query.isascii() and query.isprintable():
        text = " ".join(query.split())   # fast path: nothing to normalise
    else:
        text = _CONTROL.sub(" ", unicodedata.normalize("NFC", query))
        text = " ".join(text.split())
    if not text:
        return "", "empty query"
    if len(text) > MAX_QUERY_CHARS:
        return "", f"query too long ({len(text)} characters; place names have at most {MAX_QUERY_CHARS})"
    if not name_keys(text):
        return "", f"no letters or digits to match in {text!r}"
    if only_region_words(text):
        return "", f"{text!r} has a region word but no name"
    return text, None


def _parse_countries(country) -> set[str] | None:
    if country is None or country == "" or country == ():
        return None
    if isinstance(country, str):
        country = country.split(",")
    codes = {str(c).strip().upper() for c in country if str(c).strip()}
    bad = sorted(c for c in codes if len(c) != 2 or not c.isalpha())
    if bad:
        raise GazetteerError(f"country hints must be ISO 3166-1 alpha-2 codes such as UA or RU, got {', '.join(bad)}")
    return codes or None


def geocode(names: Iterable[str] | str, **hints: Any):
    """Geocode names offline into a GeoDataFrame (one row per name, EPSG:4326).

    Columns are the RESULT CONTRACT fields (candidates as a list per row) and a
    Point geometry (empty where the name could not be resolved)."""
    import geopandas as gpd
    from shapely.geometry import Point

    if isinstance(names, str):
        names = [names]
    results = Gazetteer.default().lookup_many(list(names), **hints)
    geometry = [
        Point(r["longitude"], r["latitude"]) if r["latitude"] is not None else None
        for r in results
    ]
    columns = list(FIELDS) + ["match"]
    rows = [{c: r.get(c) for c in columns} for r in results]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometry, crs="EPSG:4326")
