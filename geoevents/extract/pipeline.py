"""`extract`: article text -> place mentions and draft events for a person to review.

The steps live in their own modules (sentences, mentions, figures, claimants,
dates, drafts); this one wires them together. Drafts are flagged `review: true`
and carry the sentence they came from as `evidence`, because rules make mistakes
a reader must be able to catch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from geoevents.extract.claimants import Attribution, attribute, find_people
from geoevents.extract.dates import DateMention, find_dates
from geoevents.extract.drafts import draft_events
from geoevents.extract.figures import Figure, find_figures
from geoevents.extract.mentions import Mention, spot
from geoevents.extract.resolve import Resolver
from geoevents.extract.sentences import Sentence, split_sentences

__all__ = ["Extraction", "extract"]


@dataclass
class Extraction:
    """Everything found in one article; `to_dict()` is the JSON form of `geoevents extract`."""

    text: str
    published: dt.date
    source: str | None
    url: str | None
    sentences: list[Sentence]
    mentions: list[Mention]
    figures: list[Figure]
    dates: list[DateMention]
    attributions: list[Attribution]
    events: list[dict[str, Any]] = field(default_factory=list)

    def mention_dicts(self) -> list[dict[str, Any]]:
        return [m.as_dict(self.sentences[m.sentence].text if self.sentences else "") for m in self.mentions]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: source header, `mentions` and `events`."""
        return {"source": self.source, "source_url": self.url, "published": self.published.isoformat(),
                "mentions": self.mention_dicts(), "events": self.events}

    def to_event_file(self, title: str | None = None) -> dict[str, Any]:
        """The draft in the events YAML format (one story per file)."""
        header: dict[str, Any] = {}
        if self.source:
            header["source"] = self.source
        if self.url:
            header["source_url"] = self.url
        header["published"] = self.published.isoformat()
        if title:
            header["title"] = title
        header["events"] = self.events
        return header

    def mentions_frame(self):
        """Mentions as a GeoDataFrame (points where resolved), for mapping and joins."""
        import geopandas as gpd
        from shapely.geometry import Point

        rows = self.mention_dicts()
        for row in rows:
            row["candidates"] = len(row.get("candidates") or [])
        geometry = [Point(r["longitude"], r["latitude"]) if r.get("latitude") is not None else None for r in rows]
        return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")

    def claims_by_claimant(self) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for event in self.events:
            grouped.setdefault(event.get("claimant") or "(unattributed)", []).append(event)
        return grouped


def extract(text: str, *, published: dt.date | str, source: str | None = None, url: str | None = None,
            gazetteer: Any = None, resolver: Resolver | None = None) -> Extraction:
    """Find places, figures, claimants and dates in `text` and draft events from them.

    `published` anchors relative dates; `source` (the outlet) is the claimant of
    what the story states in its own voice (status `reported`).
    """
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    if resolver is None:
        if gazetteer is None:
            from geoevents.places.gazetteer import Gazetteer

            gazetteer = Gazetteer.default()
        resolver = _resolver_for(gazetteer)
    sentences = split_sentences(text)
    people = [person for person in find_people(text) if not _is_place_name(person.name, resolver)]
    people_spans = [span for person in people for span in person.spans]
    mentions = spot(text, sentences, resolver, people_spans=people_spans)
    attributions = attribute(text, sentences, people)
    figures: list[Figure] = []
    dates: list[DateMention] = []
    anchor: dt.date | None = None
    for sentence in sentences:
        figures.extend(find_figures(sentence.text, sentence.start))
        found = find_dates(sentence.text, published, offset=sentence.start, anchor=anchor)
        for item in found:
            if item.date_start and item.kind != "initial":
                first = dt.date.fromisoformat(item.date_start)
                anchor = first if anchor is None or first < anchor else anchor
        dates.extend(found)
    extraction = Extraction(text, published, source, url, sentences, mentions, figures, dates, attributions)
    extraction.events = draft_events(extraction)
    return extraction


def _is_place_name(name: str, resolver: Resolver) -> bool:
    """'Moscow said' / 'Kreminna said': a one-word 'speaker' that is a well-known place is a place."""
    if " " in name:
        return False
    result = resolver.lookup(name)
    if result.get("error") or result.get("match") not in ("exact", "alternate"):
        return False
    return (result.get("country_code") in ("UA", "RU") or result.get("feature") != "place"
            or (result.get("population") or 0) >= 100_000)


_RESOLVERS: dict[int, Resolver] = {}


def _resolver_for(gazetteer: Any) -> Resolver:
    """One memoising resolver per gazetteer, so repeated calls reuse lookups."""
    key = id(gazetteer)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(gazetteer)
    return _RESOLVERS[key]
