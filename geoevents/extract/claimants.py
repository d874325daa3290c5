"""Who says what: speech attribution, carried through quotes and pronouns.

A claim on a conflict map is only as good as its source, so every sentence gets
the claimant whose words it reports: the subject of a speech verb ("the General
Staff said", "according to the governor"), a pronoun resolved to the last
person named ("he told reporters"), a role noun resolved to the person it
describes ("the analyst added"), and that speaker carried across the rest of
the quotation and into a quote-only paragraph that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoevents.extract.sentences import Sentence

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|claimed|claims|claim|reported|reports|stated|states|"
    "insisted|insists|argued|argues|argue|wrote|writes|announced|announces|confirmed|confirms|"
    "denied|denies|estimated|estimates|warned|warns|noted|notes|explained|explains|acknowledged|"
    "acknowledges|admitted|admits|asserted|asserts|alleged|alleges|maintained|maintains|believes|"
    "believed|posted|wrote|tweeted|assessed|assesses|concluded|concludes|suggested|suggests|"
    "told reporters|said in a statement"
)
_VERB_RE = re.compile(rf"(?<![\w’'])(?:{SPEECH_VERBS})(?![\w’'])")
_ACCORDING_RE = re.compile(r"\b(?:according to|cited by|citing)\s+(?P<np>(?:the\s+)?[^,.;“”\"]{2,80}?)(?=[,.;“”\"]|\s+(?:on|in|which|who)\b|$)", re.I)
# Words that may sit between a subject and its speech verb.
_ADVERBIALS = re.compile(
    r"(?:\s+(?:also|previously|later|earlier|again|repeatedly|then|now|has|have|had|was|were|on \w+|"
    r"in a statement|in an interview|on Telegram|on X|last week|this week|separately|publicly|"
    r"officially|still|further|recently|first|once|,\s*however,?))+$",
    re.I,
)
PRONOUNS = {"he": "person", "she": "person", "they": "plural", "it": "org"}
TITLES = (
    "President|Prime Minister|Minister|Foreign Minister|Defense Minister|Defence Minister|leader|"
    "General|Gen\\.|Lieutenant General|Colonel|Col\\.|Major|Commander|commander|Governor|governor|"
    "spokesman|spokeswoman|spokesperson|Spokesman|analyst|Chancellor|Secretary|Mayor|mayor|"
    "Senator|Sen\\.|Mr\\.|Ms\\.|Mrs\\.|Dr\\.|Professor|Prof\\.|Ambassador|Chief|chief|head|"
    "official|adviser|advisor|blogger|reporter|correspondent|researcher"
)
_NAME = r"[A-Z][a-zà-ÿ’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-zà-ÿ’'-]+){0,2}"
_TITLED_PERSON = re.compile(rf"(?:(?P<desc>(?:[A-Z][\w-]+\s+)?(?:{TITLES}))\s+)(?P<name>{_NAME})")
_APPOSITIVE_PERSON = re.compile(rf"(?P<name>{_NAME}),\s+(?P<desc>(?:a|an|the|[A-Z][\w-]*[’']s)\s+[^,]{{3,120}}?),")
# An appositive makes a person only if it says what the person does ("Chasiv Yar, the
# open-source group ..." is not a person).
PERSON_ROLES = re.compile(
    r"\b(?:analyst|fellow|researcher|expert|scholar|professor|spokes(?:man|woman|person)|commander|"
    r"commander-in-chief|general|officer|official|minister|president|governor|mayor|adviser|advisor|"
    r"head|chief|director|soldier|resident|blogger|journalist|reporter|correspondent|lawmaker|senator|"
    r"diplomat|envoy|ambassador|leader|colonel|major|captain|sergeant|volunteer|medic|priest|teacher|"
    r"farmer|historian|economist|deputy|secretary|founder|member|veteran|survivor|witness)\b", re.I)
# "a spokesman for the southern forces, Vladyslav Voloshyn, said": the name follows its description
_DESCRIBED_PERSON = re.compile(rf"(?P<desc>\b(?:a|an|the)\s+[^,.;“”]{{3,100}}?),\s+(?P<name>{_NAME}),\s+"
                               rf"(?:{SPEECH_VERBS})\b")
_SPEAKING_PERSON = re.compile(rf"(?P<name>{_NAME})(?:,\s+who\b[^,]*,)?\s+(?:{SPEECH_VERBS})\b")
ROLE_SYNONYMS = {
    "analyst": {"analyst", "fellow", "researcher", "expert", "scholar", "specialist", "professor", "observer"},
    "expert": {"analyst", "fellow", "researcher", "expert", "scholar", "specialist", "professor"},
    "researcher": {"analyst", "fellow", "researcher", "expert", "scholar"},
    "president": {"president"},
    "minister": {"minister"},
    "governor": {"governor"},
    "commander": {"commander", "general", "officer", "colonel"},
    "general": {"commander", "general"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson"},
    "official": {"official", "minister", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson"},
    "soldier": {"soldier", "commander", "fighter", "serviceman", "officer"},
    "mayor": {"mayor"},
    "blogger": {"blogger"},
}
_LEADING_NOISE = re.compile(r"^(?:but|and|yet|so|however|meanwhile|still|now|instead|also|while|as)\b[\s,]*", re.I)
NON_NAMES = {"The", "But", "And", "In", "On", "At", "For", "With", "However", "Meanwhile", "It", "He", "She",
             "They", "We", "I", "This", "That", "Some", "His", "Her", "Their", "Our", "A", "An", "If", "When",
             "While", "After", "Before", "Now", "Then", "There", "As", "So", "Yet"}
_TITLE_WORD = re.compile(TITLES)
# A capitalised run containing one of these is an organisation, a date or a place, not a person.
_NOT_PERSON_WORDS = {
    "Staff", "General", "Ministry", "Institute", "Army", "Forces", "Force", "Command", "Council", "Office",
    "Service", "Guard", "Navy", "Group", "Agency", "Committee", "University", "Center", "Centre", "Party",
    "Brigade", "Corps", "Kremlin", "Pentagon", "House", "Union", "Nations", "Federation", "Republic",
    "Oblast", "Region", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Russian", "Ukrainian", "Russians", "Ukrainians", "News", "Times", "Post",
    "Press", "Reuters", "Telegram", "Defense", "Defence", "Intelligence", "States", "Study", "War",
}
ROLE_NOUNS = {
    "military", "army", "ministry", "analyst", "analysts", "governor", "spokesman", "spokeswoman",
    "spokesperson", "officials", "official", "command", "staff", "forces", "police", "service",
    "intelligence", "observers", "experts", "expert", "authorities", "government", "administration",
    "commander", "president", "minister", "mayor", "researcher", "blogger", "bloggers", "soldier",
    "soldiers", "officer", "residents", "witnesses", "media", "agency", "office", "institute", "think tank",
    "group", "guards", "prosecutors", "navy", "marines", "headquarters", "council", "operator", "operators",
    "monitors", "mission", "committee", "spokesmen", "officers", "commanders", "troops", "units",
    "force", "forces", "staff", "guard", "defences", "defenses",
}
MODIFIERS = {"defence", "defense", "foreign", "regional", "local", "military", "state", "war", "western",
             "independent", "senior", "top", "pro-kremlin", "pro-russian", "russian", "ukrainian", "general",
             "emergency", "border", "guard", "interior", "air", "naval", "special", "southern", "northern", "eastern", "army", "presidential", "national", "open-source"}
OPEN_QUOTES = "“\""
CLOSE_QUOTES = "”\""


@dataclass
class Person:
    """A person named in the story, with what the story calls them."""

    name: str
    start: int
    descriptors: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # offsets of every mention (name or surname)
    spans: list[tuple[int, int]] = field(default_factory=list)  # full name, first name or surname


@dataclass
class Attribution:
    """The claimant of one sentence and how we know."""

    claimant: str | None
    claimant_text: str | None = None  # the words that name the claimant ("he", "the analyst")
    how: str | None = None  # explicit | pronoun | role | quote | carried
    quoted: bool = False
    speakers: list[tuple[int, str | None]] = field(default_factory=list)  # every speaker, by offset

    def as_dict(self) -> dict:
        return {"claimant": self.claimant, "claimant_text": self.claimant_text, "how": self.how,
                "quoted": self.quoted}


def find_people(text: str, not_names: set[str] | frozenset[str] = frozenset()) -> list[Person]:
    """People named in the text, in order of first mention, with titles/appositives as descriptors."""
    people: dict[str, Person] = {}

    def add(name: str, start: int, descriptor: str | None) -> None:
        words = name.split()
        while words and (words[0] in NON_NAMES or _TITLE_WORD.fullmatch(words[0])):
            words.pop(0)
        name = " ".join(words)
        if (not name or name in not_names or any(word in _NOT_PERSON_WORDS for word in words)
                or (len(words) == 1 and words[0] in not_names)):
            return
        key = next((known for known in people if known.split()[-1] == words[-1] or known == name), None)
        if key is None:
            people[name] = Person(name, start)
            key = name
        elif len(name) > len(key):  # keep the fullest form of the name
            people[name] = people.pop(key)
            people[name].name = name
            key = name
        if descriptor:
            people[key].descriptors.append(descriptor)

    for pattern in (_TITLED_PERSON, _APPOSITIVE_PERSON, _DESCRIBED_PERSON, _SPEAKING_PERSON):
        for match in pattern.finditer(text):
            name = match.group("name")
            if pattern in (_APPOSITIVE_PERSON, _DESCRIBED_PERSON) and (
                    len(name.split()) == 1 or not PERSON_ROLES.search(match.group("desc"))):
                continue  # "Kursk, the region ..." is not a person
            add(name, match.start("name"), match.groupdict().get("desc"))
    found = sorted(people.values(), key=lambda person: person.start)
    owner: dict[str, Person] = {}
    for person in found:
        for form in (person.name, *person.name.split()):
            owner.setdefault(form, person)
    if owner:
        # one pass over the text for every person's full name, first name and surname
        pattern = "|".join(re.escape(form) for form in sorted(owner, key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w’'-])(?:{pattern})(?![\w-])", text):
            person = owner[match.group()]
            person.spans.append((match.start(), match.end()))
            if match.group() in (person.name, person.name.split()[-1]):
                person.mentions.append(match.start())
    return found


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of quotations in a paragraph; an unclosed quote runs to the paragraph end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch == "“" or (ch == '"' and opened is None):
            opened = i if opened is None else opened
        elif (ch == "”" or ch == '"') and opened is not None:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans


def _subject_before(left: str) -> str | None:
    """The noun phrase just before a speech verb ("..., which on Thursday" -> the antecedent)."""
    left = _ADVERBIALS.sub("", left.rstrip())
    relative = re.search(r",\s*(?:which|who|that)\s*$", left)
    if relative:
        left = left[: relative.start()]
    elif named := re.search(rf"\b(?:a|an|the)\s+[^,]{{3,100}},\s+(?P<name>{_NAME}),?\s*$", left):
        if len(named.group("name").split()) > 1:
            return named.group("name")  # "the governor of the Luhansk region, Serhiy Haidai, said"
    if not relative:
        # drop a parenthetical ", who asked ..., " or an appositive ", a research fellow at ..., "
        appositive = re.search(r",\s*(?:who|which|a|an|the|[A-Z][\w-]*)\b[^,“”]*,\s*$", left)
        if appositive and re.search(r"\w", left[: appositive.start()]):
            left = left[: appositive.start()]
    left = left.rstrip(" ,")
    quote_end = max(left.rfind("”"), left.rfind('"'))
    if quote_end >= 0 and quote_end >= len(left) - 2:
        return None
    # take the tail of the clause: after the last clause boundary
    clause = re.split(r"[;:“”\"(]|,\s|\s—\s|\b(?:that|because|while|when|as|and|but)\s", left)[-1].strip()
    clause = _LEADING_NOISE.sub("", clause)
    phrase = _noun_phrase_tail(clause.split())
    if phrase is None or phrase.split()[-1].lower() in _PLACE_HEADS:
        pp = re.match(r"^(?P<np>.*?)\s+(?:in|at|from|near|of|for)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*)+"
                      r"(?:region|oblast|province|city|town|district|area)?$", clause)
        if pp:
            return _noun_phrase_tail(pp.group("np").split()) or phrase
    return phrase


_PLACE_HEADS = {"region", "oblast", "province", "city", "town", "district", "area"}


def _noun_phrase_tail(words: list[str]) -> str | None:
    """The noun phrase ending the clause: capitalised names, role nouns and their modifiers."""
    if not words:
        return None
    head = words[-1]
    if head.lower() in PRONOUNS:
        return head
    if not (head[:1].isupper() or head.lower() in ROLE_NOUNS):
        return None
    taken = [head]
    rest = words[:-1]
    for position in range(len(rest) - 1, -1, -1):
        word = rest[position]
        low = word.lower()
        if low in ("the", "a", "an", "our", "their", "its") or low.endswith(("’s", "'s")):
            taken.append(word)
            inside_name = (low == "the" and position >= 2 and rest[position - 1].lower() in ("for", "of")
                           and rest[position - 2][:1].isupper())  # "Institute for the Study of War"
            if low in ("the", "a", "an", "our", "their", "its") and not inside_name:
                break
            continue
        if word[:1].isupper() or low in ROLE_NOUNS or low in MODIFIERS or low in ("of", "for", "and"):
            taken.append(word)
            continue
        break
    while taken and taken[-1].lower() in ("of", "for", "and"):
        taken.pop()
    phrase = " ".join(reversed(taken))
    return phrase or None


def _subject_after(right: str) -> str | None:
    """Inverted attribution: '..., said the governor' / '... said Oleh Syniehubov, the governor'."""
    match = re.match(r"\s*(?P<np>(?:the\s+)?(?:[A-Z][\w’'-]*\s*){1,4}|the\s+\w+(?:\s+\w+)?)", right)
    return match.group("np").strip() if match else None


def _latest_before(offsets: list[int], before: int) -> int | None:
    import bisect

    position = bisect.bisect_left(offsets, before)
    return offsets[position - 1] if position else None


def _canonical(np: str, people: list[Person], before: int) -> tuple[str | None, str]:
    """Turn the subject noun phrase into a claimant name (people by full name)."""
    np = np.strip(" ,.")
    low = np.lower()
    latest = {id(person): _latest_before(person.mentions, before) for person in people}
    known = sorted((person for person in people if latest[id(person)] is not None),
                   key=lambda person: latest[id(person)])
    if low in PRONOUNS:
        if PRONOUNS[low] == "person" and known:
            return known[-1].name, "pronoun"
        return None, "pronoun"
    for person in people:
        if person.name in np or person.name.split()[-1] in np.split():
            return person.name, "explicit"
    role = re.fullmatch(r"(?:the|our|this|that)\s+(?:\w+\s+)?(?P<role>\w+)", low)
    if role and role.group("role") in ROLE_SYNONYMS:
        wanted = ROLE_SYNONYMS[role.group("role")]
        for person in reversed(known):
            if any(word in wanted for text in person.descriptors for word in re.findall(r"\w+", text.lower())):
                return person.name, "role"
    return re.sub(r"^(?:the|The)\s+", "", np), "explicit"


def attribute(text: str, sentences: list[Sentence], people: list[Person]) -> list[Attribution]:
    """One Attribution per sentence (claimant None when the story itself says it)."""
    result = [Attribution(None) for _ in sentences]
    by_paragraph: dict[int, list[int]] = {}
    for sentence in sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence.index)

    previous_speaker: str | None = None
    for paragraph in sorted(by_paragraph):
        indices = by_paragraph[paragraph]
        p_start, p_end = sentences[indices[0]].start, sentences[indices[-1]].end
        quotes = _quote_spans(text, p_start, p_end)
        speaker: str | None = None
        speaker_text: str | None = None
        for i in indices:
            sentence = sentences[i]
            every = _find_attributions(sentence, quotes, people)
            result[i].speakers = [(start, name) for start, name, _, _ in every]
            found = every[0][1:] if every else None
            in_quote = any(q0 <= sentence.start < q1 or q0 < sentence.end <= q1 for q0, q1 in quotes)
            result[i].quoted = in_quote
            if found:
                result[i].claimant, result[i].claimant_text, result[i].how = found
                if in_quote or any(sentence.start <= q0 < sentence.end for q0, _ in quotes):
                    speaker, speaker_text = found[0], found[1]
        if speaker:
            # everything quoted in this paragraph is the speaker's
            for i in indices:
                if result[i].quoted and result[i].claimant is None:
                    result[i].claimant, result[i].claimant_text, result[i].how = speaker, speaker_text, "quote"
            previous_speaker = speaker
        elif quotes and previous_speaker and all(result[i].quoted for i in indices):
            # a quote-only paragraph continues the previous speaker
            for i in indices:
                result[i].claimant, result[i].claimant_text, result[i].how = previous_speaker, None, "carried"
        else:
            previous_speaker = None
    _resolve_org_pronouns(result, people)
    _unify_names(result)
    return result


def _resolve_org_pronouns(result: list[Attribution], people: list[Person]) -> None:
    """'It said' / 'they said' after 'the regional administration said' is the administration."""
    names = {person.name for person in people}
    last_org: str | None = None
    for attribution in result:
        if attribution.claimant and attribution.claimant not in names:
            last_org = attribution.claimant
        elif (attribution.claimant is None and attribution.how == "pronoun" and last_org
              and (attribution.claimant_text or "").lower() in ("it", "they", "he", "she")):
            # no named person to refer to: "a deputy commander said ... He said" is that speaker
            attribution.claimant = last_org


def _unify_names(result: list[Attribution]) -> None:
    """'the General Staff' later in a story is the 'Ukrainian General Staff' named earlier."""
    seen: list[str] = []
    for attribution in result:
        name = attribution.claimant
        if not name:
            continue
        fuller = next((known for known in seen if known != name and known.endswith(" " + name)), None)
        if fuller is None and re.fullmatch(r"[a-z]+", name):
            # "the group said" / "the guards said" after "Ukraine's border guard service said"
            stem = name[:-1] if name.endswith("s") else name
            fuller = next((known for known in reversed(seen) if re.search(rf"\b{stem}", known)), None)
        if fuller:
            attribution.claimant = fuller
            attribution.speakers = [(start, fuller if who == name else who) for start, who in attribution.speakers]
        elif name not in seen:
            seen.append(name)


def _find_attribution(text: str, sentence: Sentence, quotes: list[tuple[int, int]], people: list[Person]):
    found = _find_attributions(sentence, quotes, people)
    return found[0][1:] if found else None


def _find_attributions(sentence: Sentence, quotes: list[tuple[int, int]], people: list[Person]):
    """Every (offset, claimant, words, how) in a sentence, in order: 'X said ..., while Y claimed ...'."""
    body = sentence.text
    found = []
    according = _ACCORDING_RE.search(body)
    if according:
        name, how = _canonical(according.group("np"), people, sentence.start)
        if name:
            found.append((sentence.start + according.start(), name, according.group("np").strip(), how))
    for match in _VERB_RE.finditer(body):
        absolute = sentence.start + match.start()
        if any(q0 < absolute < q1 for q0, q1 in quotes):
            continue  # a verb inside the quotation is the speaker's own words
        left = body[: match.start()]
        np = _subject_before(left)
        if np is None or np.lower() in ("there", "this", "which"):
            np = _subject_after(body[match.end():]) if re.search(r"[,”\"]\s*$", left) else None
        if not np:
            continue
        name, how = _canonical(np, people, absolute)
        if name or how == "pronoun":
            found.append((absolute, name, np, how))
    found.sort(key=lambda item: item[0])
    return found


def claimant_at(attribution: Attribution, offset: int) -> str | None:
    """The claimant of the words at `offset`: the nearest speaker before it in the sentence
    ("Kyiv said 5 were hit, while Moscow claimed 20 drones were downed"), else the sentence's."""
    before = [name for start, name in attribution.speakers if start <= offset and name]
    return before[-1] if before else attribution.claimant
