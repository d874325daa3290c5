"""What a place name does in its sentence: event_location, actor or other.

Words around the name decide: a locative preposition ("in", "near", "outside")
makes a location; a capital or a country as subject or object ("warned Kyiv",
"talks with Moscow", "Russia has lost") stands for its government; containers
("Russia's Kursk region"), old names ("known as Dzerzhynsk") and reference points
("200 km south-east of Moscow") are other. Demonyms are actors, or other before
territory words ("Russian territory"), never locations.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geoevents.extract.mentions import Mention

# Prepositions (and phrases) after which a place is where something happens.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|around|at|over|into|across|towards?|through|inside|within|throughout|"
    r"from|to|of|on|off|beyond|past|behind|along|north|south|east|west|out of)\s+"
    r"(?:the\s+)?(?:(?:central|nearby|northern|southern|eastern|western|occupied|embattled|"
    r"besieged|frontline|front-line|border|town|city|village|settlement|suburbs|outskirts|"
    r"of|neighbouring|neighboring)\s+){0,3})$",
    re.I,
)
ALIAS_CONTEXT = re.compile(
    r"(?:\b(?:known(?:\s+\w+){0,3}\s+as|calls?|called|call it|label(?:s|led)?(?:\s+\w+){0,3}|"
    r"formerly|renamed(?:\s+from)?|previously|once|old name|then)\s+)$",
    re.I,
)
# "about 200 kilometres south-east of Moscow": the place is only a reference point.
_REFERENCE_POINT = re.compile(r"\b(?:kilomet(?:er|re)s?|km|miles?)\s+(?:(?:north|south|east|west|"
                              r"north-east|north-west|south-east|south-west|northeast|northwest|southeast|"
                              r"southwest|away)\s+)?(?:of|from)\s+(?:the\s+)?$", re.I)
_GOVERNING = re.compile(r"\b(?:governor|head|mayor|administration|authorities|police|officials|"
                        r"government|parliament|leadership|chief)\s+of\s+(?:the\s+)?"
                        r"(?:[A-Z][\w-]*[’']s\s+)?$", re.I)
_NOT_LOCATING_FROM = re.compile(r"\b(?:secret|hidden|support|aid|help|pressure|approval|permission|"
                                r"funding|request|signal|message|weapons|shells|assistance|backing)\s+"
                                r"(?:\w+\s+)?from\s+(?:the\s+)?$", re.I)
# A place right before one of these names an office, not where something happens.
_OFFICE_NOUNS = {"mayor", "governor", "officials", "authorities", "administration", "prosecutor",
                 "prosecutors", "police", "council", "mayor's", "governor's"}
_TERRITORY_NOUNS = {"territory", "territories", "soil", "land", "lands", "border", "borders", "side",
                    "district", "town", "towns", "city", "cities", "village", "villages", "region",
                    "regions", "oblast", "frontier", "airspace", "waters", "positions", "rear",
                    "settlements", "countryside"}


def role_of(text: str, mention: Mention, mentions: list[Mention]) -> str:
    """event_location | actor | other for one mention, from the words around it."""
    from geoevents.extract.resolve import capitals

    line_start = text.rfind("\n", 0, mention.start) + 1
    before = text[max(line_start, mention.start - 60):mention.start]
    after = text[mention.end:mention.end + 40]
    possessive = bool(re.match(r"[’']s\b", after)) or mention.text.endswith(("’s", "'s"))
    next_word = re.match(r"(?:[’']s)?\s+([\w-]+)", after)
    next_word = next_word.group(1).lower() if next_word else ""
    if mention.kind == "demonym":
        return "other" if next_word in _TERRITORY_NOUNS or _following_noun(after) in _TERRITORY_NOUNS else "actor"
    reference = _REFERENCE_POINT.search(before)
    if reference and re.search(r"\bwithin\s+(?:\S+\s+){1,3}$", before[:reference.start()]):
        reference = None  # "pushed to within three kilometres of Pokrovsk": the fighting is there
    if ALIAS_CONTEXT.search(before) or reference:
        return "other"
    if _GOVERNING.search(before) or next_word in _OFFICE_NOUNS:
        return "other"  # "the governor of the Belgorod region", "Bryansk governor Alexander Bogomaz"
    locative = bool(_LOCATIVE.search(before))
    if re.search(r"\bbetween\s+(?:the\s+)?$", before, re.I) or re.search(r"\band\s+$", before) and \
            re.search(r"\bbetween\s+(?:the\s+)?[\w’'\- ]+\s+and\s+$", before, re.I):
        return "actor" if mention.text in capitals() else "other"
    feature = mention.result.get("feature")
    if mention.kind == "country" or feature == "country":
        if possessive:
            return "other"
        if locative and not re.search(r"\bfrom\s+(?:the\s+)?$", before, re.I):
            return "event_location"
        return "actor"
    if mention.text in capitals() and feature == "place":
        if locative and not _NOT_LOCATING_FROM.search(before):
            return "event_location"
        return "actor"
    if mention.kind == "region":
        if possessive:
            return "other"
        sentence_places = [m for m in mentions if m.kind == "place" and m.start < mention.start
                           and m.result.get("admin1_code") == mention.result.get("admin1_code")]
        return "other" if sentence_places else "event_location"
    return "event_location"


def coordinated_role(text: str, previous: Mention | None, mention: Mention) -> str | None:
    """'in Berlin and Paris', 'Pokrovsk, Myrnohrad and Selydove': a conjunct shares the role of
    the place before it."""
    if previous is None or previous.sentence != mention.sentence or previous.kind == "demonym" \
            or mention.kind == "demonym" or previous.role not in ("event_location", "actor", "other"):
        return None
    between = text[previous.end:mention.start]
    if re.match(r"[’']s\b", text[mention.end:mention.end + 3]) or mention.text.endswith(("’s", "'s")):
        return None  # "Novenke, Ukraine's border guards said": a possessive starts a new phrase
    if re.fullmatch(r"(?:[’']s)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?", between):
        return previous.role
    return None


def _following_noun(after: str) -> str:
    """The noun a demonym modifies: 'Russian district town' -> town."""
    words = re.findall(r"[\w-]+", after[:40])
    for word in words[:3]:
        if word.lower() in _TERRITORY_NOUNS:
            return word.lower()
    return ""
