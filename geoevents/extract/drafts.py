"""Draft events from what the extractors found: one per figure, one per located event.

Drafts use the events file format so a reviewer edits them in place; each keeps
`review: true` and the sentence it came from as `evidence`, and a neutral
machine `claim` that the reviewer rewrites in their own words.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from geoevents.extract.claimants import Attribution, claimant_at
from geoevents.extract.dates import DateMention
from geoevents.extract.figures import Figure
from geoevents.extract.mentions import Mention
from geoevents.extract.sentences import Sentence

if TYPE_CHECKING:
    from geoevents.extract.pipeline import Extraction

# verb stems -> event kind, checked in this order
KIND_VERBS: list[tuple[str, str]] = [
    ("withdrawal", r"withdr[ae]w\w*|pulled (?:out|back)|pull(?:s|ing)? (?:out|back)|retreat\w*|lost|losing|"
                   r"abandon\w*|fell|fallen"),
    ("advance", r"advanc\w*|push\w*|crossed|cross(?:es|ing)|storm\w*|captur\w*|seiz\w*|took|taken|"
                r"retook|retaken|recaptur\w*|entered|smashed into|invade\w*|liberat\w*|regain\w*|"
                r"broke through|reached"),
    ("attack", r"struck|strike\w*|hit|shell\w*|attack\w*|bomb\w*|fired|shot down|explosion\w*|"
               r"killed|damag\w*|destroy\w*|blown up|blew up"),
    ("deployment", r"deploy\w*|sent|moved up|bring in|brought in|redeploy\w*|transferr\w*"),
    ("control", r"hold\w*|held|control\w*|occup\w*"),
]
UNIT_KINDS = {"killed": "casualties", "wounded": "casualties", "casualties": "casualties",
              "captured": "casualties", "people": "casualties", "km2": "control", "mi2": "control",
              "villages": "control", "km": "advance", "brigades": "casualties"}


def _kind_for(sentence: str, figure: Figure | None, offset: int = 0) -> str:
    """Event kind from the verb nearest the figure ("half of the 1,000 km2 it seized" -> advance
    for the 1,000, withdrawal for the "lost" half), else from the whole sentence."""
    window = sentence
    if figure is not None and figure.unit in ("km2", "mi2", "ha", "villages", "km"):
        local_start, local_end = figure.start - offset, figure.end - offset
        after = sentence[local_end: local_end + 40]
        before = sentence[max(0, local_start - 25): local_start]
        for part in (after, before) if figure.fraction is None else (before, after):
            for kind, pattern in KIND_VERBS:
                if re.search(rf"\b(?:{pattern})\b", part, re.I):
                    return kind
    if figure is not None:
        if figure.unit in ("killed", "wounded", "casualties", "captured"):
            return "casualties"
        if figure.unit in ("vehicles", "tanks", "artillery"):
            return "casualties"  # equipment losses
        if figure.unit in ("drones", "missiles", "bombs"):
            return "attack"
        if figure.unit == "troops":
            if re.search(r"\blo(?:st|se|sing)\b", sentence):
                return "casualties"
            return "deployment"
    for kind, pattern in KIND_VERBS:
        if re.search(rf"\b(?:{pattern})\b", window, re.I):
            return kind
    if figure is not None:
        return UNIT_KINDS.get(figure.unit, "other")
    return "other"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "event"


def draft_events(extraction: Extraction) -> list[dict[str, Any]]:
    """One draft per figure, and one per sentence that puts an event at a place."""
    events: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    by_sentence: dict[int, list[Mention]] = {}
    for mention in extraction.mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    import bisect

    starts = [s.start for s in extraction.sentences]

    def sentence_at(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    dates_by_sentence: dict[int, list[DateMention]] = {}
    for item in extraction.dates:
        dates_by_sentence.setdefault(sentence_at(item.start), []).append(item)
    figures_by_sentence: dict[int, list[Figure]] = {}
    for figure in extraction.figures:
        figures_by_sentence.setdefault(sentence_at(figure.start), []).append(figure)
    last_place: Mention | None = None
    for sentence in extraction.sentences:
        mentions = by_sentence.get(sentence.index, [])
        places = [m for m in mentions if m.role == "event_location" and m.result.get("latitude") is not None]
        actors = [m for m in mentions if m.role == "actor"]
        if places:
            # the most specific place: a settlement before a region before a country
            places.sort(key=lambda m: {"place": 0, "region": 1, "country": 2}.get(m.kind, 3))
        place = places[0] if places else None
        figures = figures_by_sentence.get(sentence.index, [])
        attribution = extraction.attributions[sentence.index]
        resolved_dates = [d for d in dates_by_sentence.get(sentence.index, []) if d.date]
        event_date = _event_date(resolved_dates, sentence, extraction.published)
        drafts: list[tuple[Figure | None, str]] = [(f, _kind_for(sentence.text, f, sentence.start)) for f in figures]
        if not drafts and place is not None:
            kind = _kind_for(sentence.text, None)
            if kind != "other":
                drafts.append((None, kind))
        for figure, kind in drafts:
            where = place
            if figure is not None and len(places) > 1:
                # "40 drones over the Sumy region, while ... 12 drones over Belgorod": the nearest place
                where = min(places, key=lambda m: (min(abs(m.start - figure.end), abs(figure.start - m.end)),
                                                   m.kind != "place"))
            if where is None and figure is not None and last_place is not None \
                    and last_place.sentence >= sentence.index - 3:
                where = last_place
            event = _draft(extraction, sentence, attribution, where, actors, figure, kind, event_date)
            base = _slug(f"{kind}-{(where.text if where else 'unplaced')}-{figure.unit if figure else ''}")
            event_id, n = base, 2
            while event_id in used_ids:
                event_id, n = f"{base}-{n}", n + 1
            used_ids.add(event_id)
            events.append({"id": event_id, **event})
        if place is not None:
            last_place = place
    return events


def _event_date(dates: list[DateMention], sentence: Sentence, published: dt.date) -> DateMention | None:
    """The date phrase the event hangs on: the first in the sentence, not an attribution date
    such as 'which on Thursday said' when another phrase is there."""
    if not dates:
        return None
    for item in dates:
        local = item.start - sentence.start
        window = sentence.text[local: local + len(item.text) + 12]
        if not re.search(r"\b(?:said|says|told|added|reported)\b", window):
            return item
    return dates[0]


def _draft(extraction: Extraction, sentence: Sentence, attribution: Attribution, place: Mention | None,
           actors: list[Mention], figure: Figure | None, kind: str, date: DateMention | None) -> dict[str, Any]:
    claimant = claimant_at(attribution, figure.start) if figure is not None else attribution.claimant
    status = "claimed" if claimant else "reported"
    event: dict[str, Any] = {}
    if date is not None:
        event["date"] = date.date
        event["date_text"] = date.text
    else:
        event["date"] = extraction.published.isoformat()
    if place is not None:
        result = place.result
        event["place"] = result.get("name") or place.text
        if result.get("country_code"):
            event["country"] = result["country_code"]
        if result.get("feature") == "place" and result.get("admin1_code"):
            event["within"] = result["admin1_code"]
        if result.get("feature") == "place" and result.get("latitude") is not None:
            event["latitude"] = result["latitude"]
            event["longitude"] = result["longitude"]
    event["kind"] = kind
    claimant_words = re.sub(r"^(?:the|The)\s+", "", attribution.claimant_text or "")
    actor = next((a for a in actors if (a.kind in ("demonym", "country", "landmark") or a.stands_for)
                  and not (claimant_words and extraction.text.startswith(claimant_words, a.start))), None)
    if actor is not None:
        event["actor"] = actor.text
    event["claimant"] = claimant or extraction.source or "the publication"
    event["claim"] = _claim_text(sentence, figure, place, kind)
    if figure is not None:
        event["figure"] = figure.value
        event["figure_unit"] = figure.unit
        event["approximate"] = figure.approximate
    event["status"] = status
    event["review"] = True
    event["evidence"] = sentence.text
    return event


def _claim_text(sentence: Sentence, figure: Figure | None, place: Mention | None, kind: str) -> str:
    """A neutral machine summary, not the article's words: a person rewrites it in review."""
    parts = [kind]
    if figure is not None:
        qualifier = f"{figure.qualifier} " if figure.qualifier else ""
        value = f"{figure.value:,.0f}" if figure.value >= 1 else f"{figure.value:g}"
        parts.append(f"{qualifier}{value} {figure.unit}")
        if figure.fraction is not None and figure.base_value is not None:
            parts.append(f"({figure.fraction:g} of {figure.base_value:,.0f} {figure.unit})")
    if place is not None:
        parts.append(f"at {place.result.get('name') or place.text}")
    return " ".join(parts) + " (draft: rewrite in your own words)"
