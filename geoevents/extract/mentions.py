"""Spot place names in text; resolution is in `resolve`, roles in `roles`.

Rules, not a trained model, so the tool runs offline and its decisions can be
explained: a dateline, landmarks that stand for governments ("the Kremlin"),
"X region" phrases (the admin-1 unit), demonyms ("North Korean": a country
acting, never where something happened), then capitalised word runs looked up
longest-first in the gazetteer, with guards against people, organisations,
rivers and common words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geoevents.extract.resolve import Resolver, disambiguate, region_result, regions_by_name
from geoevents.extract.roles import coordinated_role, role_of
from geoevents.extract.sentences import Sentence

# Demonym -> ISO country (adjective and plural noun forms). Hyphenated uses
# ("Ukrainian-held", "Russian-installed") describe control, not an actor, and are skipped.
DEMONYMS = {
    "Russian": "RU", "Russians": "RU", "Ukrainian": "UA", "Ukrainians": "UA", "Belarusian": "BY",
    "Belarusians": "BY", "North Korean": "KP", "North Koreans": "KP", "South Korean": "KR",
    "South Koreans": "KR", "American": "US", "Americans": "US", "British": "GB", "French": "FR",
    "German": "DE", "Germans": "DE", "Polish": "PL", "Poles": "PL", "Finnish": "FI", "Finns": "FI",
    "Swedish": "SE", "Norwegian": "NO", "Danish": "DK", "Dutch": "NL", "Estonian": "EE",
    "Latvian": "LV", "Lithuanian": "LT", "Moldovan": "MD", "Romanian": "RO", "Hungarian": "HU",
    "Slovak": "SK", "Czech": "CZ", "Bulgarian": "BG", "Turkish": "TR", "Iranian": "IR",
    "Iranians": "IR", "Chinese": "CN", "Japanese": "JP", "Indian": "IN", "Israeli": "IL",
    "Syrian": "SY", "Georgian": "GE", "Georgians": "GE", "Armenian": "AM", "Azerbaijani": "AZ",
    "Kazakh": "KZ", "Chechen": "RU", "Chechens": "RU", "Italian": "IT", "Spanish": "ES",
    "Canadian": "CA", "Saudi": "SA", "Qatari": "QA", "Emirati": "AE", "Swiss": "CH", "Austrian": "AT",
    "Soviet": None, "Korean": None, "Koreans": None,
}
# Buildings and streets that stand for a government.
LANDMARKS = {"Kremlin": ("RU", "Moscow"), "White House": ("US", "Washington"),
             "Pentagon": ("US", "Washington"), "Downing Street": ("GB", "London"),
             "Elysee": ("FR", "Paris"), "Élysée": ("FR", "Paris"), "Bankova": ("UA", "Kyiv"),
             "Capitol Hill": ("US", "Washington")}
REGION_WORDS = r"(?:region|regions|oblast|oblasts|Oblast|Oblasts|province|provinces|krai|Krai|republic)"
# A capitalised word followed by one of these names a river, an organisation, ... not a settlement.
NON_PLACE_HEADS = {
    "river", "sea", "bay", "lake", "reservoir", "canal", "island", "islands", "mountains", "forest",
    "group", "brigade", "battalion", "regiment", "division", "corps", "command", "army", "fleet",
    "district", "street", "avenue", "square", "airport", "airfield", "station", "plant", "institute",
    "university", "agency", "ministry", "service", "company", "battle", "offensive", "operation",
    "direction", "axis", "front", "times", "post", "news", "television", "channel", "highway", "road",
    "bridge", "dam", "base", "prison", "party", "movement",
}
NON_PLACE_TAILS = {"River", "Sea", "Bay", "Lake", "Group", "Brigade", "Battalion", "Institute", "University",
                   "Ministry", "Council", "Agency", "Airport", "Street", "Square", "Fleet", "Command",
                   "Forces", "Force", "Guard", "Service", "Staff", "Department", "Party", "News", "Times",
                   "Post", "Bridge", "Dam", "Plant", "Corps", "Battalion", "Regiment", "Division"}
STOP_CAPS = {
    "The", "A", "An", "But", "And", "Or", "In", "On", "At", "For", "With", "By", "From", "Of", "To",
    "However", "Meanwhile", "While", "After", "Before", "Since", "When", "As", "If", "Even", "Some",
    "His", "Her", "Their", "Our", "Its", "It", "He", "She", "They", "We", "I", "You", "This", "That",
    "These", "Those", "There", "Here", "Now", "Then", "Also", "Yet", "So", "Still", "Unfortunately",
    "Mr", "Mrs", "Ms", "Dr", "President", "Minister", "General", "Governor", "Mayor", "Colonel",
    "Commander", "Defence", "Defense", "Foreign", "Prime", "Chief", "State", "Department", "Office",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Mixed", "Older",
    "Heavy", "Air", "Glide", "Marines", "Rescuers", "Prosecutors", "Explosions", "Envoys", "Smoke",
    "Schools", "Officers", "Officials", "Fighting", "Shelling", "Debris", "Nobody", "European", "Western",
    "Soviet", "NATO", "EU", "UN", "Institute", "Study", "War", "Staff", "Group", "Army", "Navy",
    "Ministry", "Council", "Union", "Federation", "National", "Strategic", "Studies", "Guided", "Even",
    # common sentence starters and capitalised words that GeoNames also lists as places somewhere
    "Many", "Most", "Both", "Several", "Few", "All", "Each", "Every", "Other", "Another", "Such", "Later",
    "Earlier", "Despite", "During", "Although", "Though", "Instead", "Moreover", "Separately", "Once",
    "Only", "Just", "Why", "What", "Who", "Where", "How", "Which", "No", "Not", "Yes", "More", "Less",
    "First", "Second", "Third", "Last", "Next", "New", "Old", "Top", "Our", "My", "Your", "Us", "Them",
    "Under", "Over", "Into", "Through", "Across", "Around", "Near", "Among", "Against", "Without",
    "Within", "Until", "Because", "Though", "Whether", "Today", "Tonight", "Yesterday", "Tomorrow",
    "Victory", "Peace", "Freedom", "Liberty", "Independence", "Hope", "Storm", "Shadow", "Patriot",
    "Mayor", "Governor", "Spokesman", "Spokeswoman", "Colonel", "Lieutenant", "Sergeant", "Captain",
}
_CAP_TOKEN = r"[A-ZА-ЯІЇЄҐЁ][\w’'\-]*(?:[’']s)?"
_CAP_RUN = re.compile(rf"{_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*")
_DATELINE = re.compile(r"^\s*(?P<place>[A-ZА-ЯІЇЄҐ][A-ZА-ЯІЇЄҐ’'\-]+(?:\s+[A-ZА-ЯІЇЄҐ][A-ZА-ЯІЇЄҐ’'\-]+){0,2})"
                       r"(?:,\s*[A-Z][\w .]+?)?\s*(?:—|–|--|-)\s")
_DEMONYM_RE = re.compile(
    r"(?<![\w’'-])(?P<d>" + "|".join(sorted(map(re.escape, DEMONYMS), key=len, reverse=True))
    + r")(?![\w’'-])"
)
_LANDMARK_RE = re.compile(
    r"(?<![\w’'-])(?P<l>" + "|".join(sorted(map(re.escape, LANDMARKS), key=len, reverse=True))
    + r")(?![\w-])"
)
_NAME = r"[A-ZА-ЯІЇЄҐ][\w’'\-]+(?:\s+[A-ZА-ЯІЇЄҐ][\w’'\-]+)?"
_REGION_PHRASE = re.compile(
    rf"(?P<names>{_NAME}(?:(?:,\s*|\s+and\s+|,\s+and\s+){_NAME})*)\s+(?P<kw>{REGION_WORDS})\b"
)


@dataclass
class Mention:
    """A place name as written, where it is, what it resolves to and what it does in the sentence."""

    text: str
    start: int
    end: int
    sentence: int
    role: str
    kind: str  # place | region | country | demonym | landmark | dateline
    result: dict[str, Any] = field(default_factory=dict)
    stands_for: str | None = None  # ISO country a demonym / metonym stands for

    def as_dict(self, sentence_text: str) -> dict[str, Any]:
        out = {"text": self.text, "start": self.start, "end": self.end, "sentence": sentence_text,
               "sentence_index": self.sentence, "role": self.role, "kind": self.kind,
               "stands_for": self.stands_for}
        for key in ("query", "name", "latitude", "longitude", "country_code", "admin1_code",
                    "admin1_name", "feature", "population", "geonames_id", "score", "ambiguous",
                    "candidates", "source", "error"):
            out[key] = self.result.get(key)
        return out


def _accept(result: dict[str, Any], focus: set[str], *, sentence_initial: bool) -> bool:
    """Is a capitalised word a place at all? Guards against 'Vitaly' -> Vitali (Philippines)."""
    if result.get("error"):
        return False
    feature, country = result.get("feature"), result.get("country_code")
    if feature in ("country", "admin1"):
        return result.get("match") in (None, "exact", "alternate", "region")
    population = result.get("population") or 0
    match = result.get("match", "exact")
    if match == "fuzzy":
        return False
    if match != "exact" and country not in focus:
        return False  # far-away places only by their own name ("Many" is not Man, Ivory Coast)
    if country in focus:
        return not sentence_initial or population >= 1000 or match == "exact"
    return population >= (200_000 if sentence_initial else 100_000)


def spot(text: str, sentences: list[Sentence], resolver: Resolver, *,
         people_spans: list[tuple[int, int]] = (), focus: set[str] | None = None) -> list[Mention]:
    """All place mentions in `text` with roles; ambiguous names are settled per document."""
    focus = set(focus or {"UA", "RU"})
    taken = bytearray(len(text) + 1)  # 1 where a mention or a person's name already sits
    for p_start, p_end in people_spans:
        taken[p_start:p_end] = b"\x01" * (p_end - p_start)
    mentions: list[Mention] = []

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) < 0

    def add(mention: Mention) -> None:
        mentions.append(mention)
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)

    sentence_of = _sentence_index(sentences)
    # 1. dateline
    match = _DATELINE.match(text)
    if match and sentences:
        raw = match.group("place")
        result = resolver.lookup(raw.title())
        if not result.get("error"):
            add(Mention(raw, match.start("place"), match.end("place"), 0, "dateline", "dateline", result))
    # 2. landmarks standing for governments
    for match in _LANDMARK_RE.finditer(text):
        country, city = LANDMARKS[match.group("l")]
        if free(match.start(), match.end()):
            result = dict(resolver.lookup(city))
            add(Mention(match.group("l"), match.start(), match.end(), sentence_of(match.start()), "actor",
                        "landmark", result, stands_for=country))
    # 3. region phrases: "the Kursk region", "Sumy and Kharkiv regions"
    for match in _REGION_PHRASE.finditer(text):
        names = [m for m in re.finditer(_NAME, match.group("names"))]
        names = [m for m in names if m.group() not in STOP_CAPS]
        single = len(names) == 1
        for name_match in names:
            start = match.start("names") + name_match.start()
            words = name_match.group().split()
            # "Russia’s Kursk region" / "The Sumy Oblast": try "Kursk" / "Sumy"
            while len(words) > 1 and (re.search(r"[’']s$", words[0]) or words[0] in STOP_CAPS):
                start += len(words[0]) + 1
                words = words[1:]
            name = " ".join(words)
            region = resolver.region(name)
            if region is None:
                continue
            end = match.end() if single else start + len(name)
            if not free(start, end):
                continue
            add(Mention(text[start:end], start, end, sentence_of(start), "", "region",
                        region_result(name, region, text[start:end])))
    # 4. demonyms
    korea = None
    for match in _DEMONYM_RE.finditer(text):
        word = match.group("d")
        if not free(match.start(), match.end()):
            continue
        country = DEMONYMS[word]
        if word.startswith(("North Korean", "South Korean")):
            korea = country
        if word in ("Korean", "Koreans"):
            country = korea or "KR"
        if country is None:
            continue
        add(Mention(word, match.start(), match.end(), sentence_of(match.start()), "", "demonym",
                    _country_result(resolver, country, word), stands_for=country))
    # 5. capitalised runs looked up longest first
    for sentence in sentences:
        for run in _CAP_RUN.finditer(sentence.text):
            _spot_run(text, sentence, run, resolver, focus, free, add)
    mentions.sort(key=lambda m: m.start)
    regions_by_name(text, mentions)
    disambiguate(text, mentions, sentences, resolver)
    dateline = _DATELINE.match(text)
    in_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        in_sentence.setdefault(mention.sentence, []).append(mention)
    previous: Mention | None = None
    for mention in mentions:
        if not mention.role and dateline and mention.end <= dateline.end():
            mention.role = "dateline"  # "ODESA, Ukraine —"
        elif not mention.role:
            mention.role = coordinated_role(text, previous, mention) or role_of(
                text, mention, in_sentence[mention.sentence])
        previous = mention
    return mentions


def _country_result(resolver: Resolver, code: str, word: str) -> dict[str, Any]:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or (country.name if country else code)
    result = dict(resolver.lookup(name))
    if result.get("feature") != "country" or result.get("country_code") != code:
        result = {"query": word, "name": name, "latitude": None, "longitude": None, "country_code": code,
                  "admin1_code": None, "admin1_name": None, "feature": "country", "population": None,
                  "geonames_id": None, "score": 1.0, "ambiguous": False, "candidates": [],
                  "source": "gazetteer", "error": None}
    result["query"] = word
    return result


def _sentence_index(sentences: list[Sentence]):
    starts = [s.start for s in sentences]

    def find(offset: int) -> int:
        import bisect

        return max(0, bisect.bisect_right(starts, offset) - 1)

    return find


def _spot_run(text, sentence, run, resolver, focus, free, add) -> None:
    tokens = [(m.start(), m.end()) for m in re.finditer(_CAP_TOKEN, run.group())]
    base = sentence.start + run.start()
    i = 0
    while i < len(tokens):
        found = False
        for j in range(min(len(tokens), i + 4), i, -1):
            start, end = base + tokens[i][0], base + tokens[j - 1][1]
            surface = text[start:end]
            name = re.sub(r"[’']s$", "", surface)
            words = name.split()
            if any(word in STOP_CAPS for word in (words[0], words[-1])) or not free(start, end):
                continue
            if words[-1] in NON_PLACE_TAILS:
                continue
            after = text[end:end + 30]
            head = re.match(r"\s+([a-z]+)", after)
            if head and head.group(1) in NON_PLACE_HEADS and name == surface:
                continue
            before = text[max(sentence.start, start - 12):start]
            sentence_initial = not text[sentence.start:start].strip(" “\"‘'(—–-")
            result = resolver.lookup(name)
            if not _accept(result, focus, sentence_initial=sentence_initial):
                continue
            partial = j - i < len(tokens) and not (i == 0 and words[-1] in STOP_CAPS)
            if partial and (result.get("population") or 0) < 10_000 and result.get("feature") == "place" \
                    and not _only_titles(tokens, i, j, run.group()):
                continue  # "Ukrainska Pravda", "Novaya Gazeta": a small village inside a longer name
            if re.search(r"\bthe\s+$", before, re.I) and result.get("feature") == "place":
                continue  # "the Oskil" is a river; settlements rarely take "the"
            if re.search(r"\b(?:Sea|Gulf|Strait|Bay|Lake) of\s+$", before):
                continue  # "the Sea of Azov" is water, not the town of Azov
            add(Mention(name, start, start + len(name), sentence.index, "", _kind(result), dict(result)))
            i = j
            found = True
            break
        if not found:
            i += 1


def _only_titles(tokens: list[tuple[int, int]], i: int, j: int, run: str) -> bool:
    """The rest of the capitalised run is stop words or titles ("The", "Mayor"), not a longer name."""
    rest = [run[a:b] for k, (a, b) in enumerate(tokens) if k < i or k >= j]
    return all(word in STOP_CAPS or word in DEMONYMS for word in rest)


def _kind(result: dict[str, Any]) -> str:
    return {"admin1": "region", "country": "country"}.get(result.get("feature"), "place")
