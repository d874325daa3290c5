"""Who says it, in Ukrainian and Russian reporting: the claimant of every sentence, with its span.

A figure on a map is only as good as its source, and Ukrainian and Russian reports name their
sources in their own ways: a post that opens with its author ("Генштаб ЗСУ: ...", "Вячеслав
Гладков: ..."), a subject before a verb of saying ("Головком ЗСУ заявив", "В Минобороны России
заявили"), the verb first (", повідомив начальник Харківської ОВА Олег Синєгубов", ", пише
«Рыбарь»"), "за даними / по данным / за словами / со ссылкой на", a possessive pronoun ("за
його словами", "по их данным"), "відомство / ведомство" for the institution just quoted, and
"Про це повідомили в ОВА" / "Об этом сообщил ...", which attributes the sentences before it.
Within a paragraph a claimant carries to the following sentences until another one speaks or the
story turns ("Тим часом"); governments speaking through their capital ("у Києві наголошують")
are claimants of their own sentence only.

Names are canonical where the table knows them (officials, institutions: `lang/<code>/
claimants.tsv`); an office with its region keeps the words as written ("Глава Харьковской ОВА").
Verbs, phrases and the words of a claimant's name are data in `lang/<code>/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geoevents.extract.claimants import Attribution
from geoevents.extract.metonymy import find_government_names
from geoevents.extract.region_phrases import find_region_phrases
from geoevents.extract.sentences import Sentence
from geoevents.extract.slavic_data import WORD, WordPatterns, entries, fold, table, words

_TOKEN = re.compile(rf"(?P<word>{WORD.pattern})|(?P<num>\d+)|(?P<punct>[^\s\w])")
_DASHES = frozenset("—–-")
_PREPOSITIONS = frozenset({"в", "у", "во", "на"})
MAX_NAME_WORDS = 8
HEADER_WORDS = 8


@dataclass(frozen=True)
class ClaimantSpan:
    """A claimant as the text names it: the words (`text`, offsets into the document), the name
    drafts use (`name`), what it is (`kind`: org, office, person, media, government, group,
    pronoun) and the frame that found it (`how`: header, subject, inverted, according, pronoun,
    back_reference, carried)."""

    text: str
    start: int
    end: int
    name: str
    kind: str
    how: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "name": self.name, "kind": self.kind,
                "how": self.how}


@dataclass
class SentenceClaim:
    """The claimant of one sentence (None when the story says it in its own voice), every
    speaker named in it, and whether the sentence sits inside quotation marks."""

    sentence: int
    claimant: ClaimantSpan | None = None
    speakers: list[ClaimantSpan] = field(default_factory=list)
    quoted: bool = False

    def as_attribution(self) -> Attribution:
        """The English reader's record, so the drafting of events takes both alike."""
        claimant = self.claimant
        return Attribution(claimant.name if claimant else None, claimant.text if claimant else None,
                           claimant.how if claimant else None, self.quoted,
                           [(speaker.start, speaker.name) for speaker in self.speakers])

    def as_dict(self) -> dict:
        return {"sentence": self.sentence, "claimant": self.claimant.as_dict() if self.claimant else None,
                "speakers": [s.as_dict() for s in self.speakers], "quoted": self.quoted}


@dataclass(frozen=True)
class _Rules:
    lang: str
    claimants: WordPatterns  # -> (name, kind, region)
    verbs: WordPatterns
    attribution: WordPatterns  # -> kind
    words: WordPatterns  # -> office | complement | role | agency | pronoun
    adverbs: frozenset[str]
    first_names: frozenset[str]
    not_names: frozenset[str]  # capitalised words that never start a claimant's name


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    return _Rules(
        lang=lang,
        claimants=WordPatterns([(row["pattern"], (row["name"], row["kind"], row["region"] == "yes"))
                                for row in table(lang, "claimants")]),
        verbs=WordPatterns([(verb, "verb") for verb in entries(lang, "speech_verbs")]),
        attribution=WordPatterns([(row["pattern"], row["kind"]) for row in table(lang, "attribution")]),
        words=WordPatterns([(row["pattern"], row["kind"]) for row in table(lang, "claimant_words")]),
        adverbs=words(lang, "adverbs"),
        first_names=frozenset(fold(name) for name in entries(lang, "first_names")),
        not_names=words(lang, "function_words") | words(lang, "adverbs") | words(lang, "common_words"),
    )


class _Token:
    """A word, number or punctuation mark: kind, offsets into the document, text, folded key."""

    __slots__ = ("kind", "start", "end", "text", "key")

    def __init__(self, kind: str, start: int, end: int, text: str, key: str) -> None:
        self.kind, self.start, self.end, self.text, self.key = kind, start, end, text, key


class _Sentence:
    """Tokens of one sentence and the claimant frames read from them."""

    def __init__(self, text: str, sentence: Sentence, rules: _Rules) -> None:
        self.text, self.sentence, self.rules = text, sentence, rules
        self.tokens = [_Token(m.lastgroup, sentence.start + m.start(), sentence.start + m.end(), m.group(),
                              fold(m.group()) if m.lastgroup == "word" else m.group())
                       for m in _TOKEN.finditer(sentence.text)]
        self.keys = [t.key if t.kind == "word" else "" for t in self.tokens]
        # words inside a claimant the table knows ("Повітряні сили", "міністерства оборони")
        self.known = [False] * len(self.tokens)
        for k, key in enumerate(self.keys):
            found = rules.claimants.match(self.keys, k) if key else None
            if found:
                self.known[k:k + found[1]] = [True] * found[1]

    # --- the words of a claimant's name -------------------------------------------------------
    def _word_kind(self, k: int) -> str | None:
        found = self.rules.words.match(self.keys, k)
        return str(found[0]) if found and found[1] == 1 else None

    def _namelike(self, k: int) -> bool:
        token = self.tokens[k]
        if token.kind != "word":
            return False
        if self.known[k]:
            return True
        if token.text[:1].isupper() or token.text[:1].isascii():
            return token.key not in self.rules.not_names
        return self._word_kind(k) in ("office", "complement", "role", "agency")

    def _quoted_name(self, k: int) -> int | None:
        """End index (exclusive) of «Name» starting at token k."""
        if self.tokens[k].text != "«":
            return None
        for j in range(k + 1, min(len(self.tokens), k + 8)):
            if self.tokens[j].text == "»":
                return j + 1 if j > k + 1 else None
        return None

    def name_after(self, k: int) -> tuple[int, int] | None:
        """(first, end) token indices of the claimant's name starting at token k (a preposition
        first is skipped: "повідомили в Генштабі")."""
        if k < len(self.tokens) and self.keys[k] in _PREPOSITIONS:
            k += 1
        if k >= len(self.tokens):
            return None
        quoted = self._quoted_name(k)
        if quoted:
            return k, quoted
        if self._word_kind(k) == "pronoun":
            return k, k + 1
        end = k
        while end < len(self.tokens) and end - k < MAX_NAME_WORDS and self._namelike(end):
            end += 1
        return (k, end) if end > k else None

    def name_before(self, j: int) -> tuple[int, int] | None:
        """(first, end) of the claimant's name ending just before token j (adverbs skipped)."""
        while j > 0 and self.keys[j - 1] in self.rules.adverbs:
            j -= 1
        if j > 0 and self._word_kind(j - 1) == "pronoun":
            return j - 1, j
        if j > 0 and self.tokens[j - 1].text == "»":
            for k in range(j - 2, max(-1, j - 9), -1):
                if self.tokens[k].text == "«":
                    return (k, j) if k < j - 2 else None
        first = j
        while first > 0 and j - first < MAX_NAME_WORDS and self._namelike(first - 1):
            first -= 1
        return (first, j) if first < j else None

    def span(self, first: int, end: int) -> tuple[int, int, str]:
        start, stop = self.tokens[first].start, self.tokens[end - 1].end
        return start, stop, self.text[start:stop]

    # --- frames ---------------------------------------------------------------------------------
    def header(self) -> tuple[int, int] | None:
        """'Генштаб ЗСУ: ...', 'Начальник Донецької ОВА Вадим Філашкін: ...', 'Підсумки від Генштабу:'."""
        for k, token in enumerate(self.tokens[:HEADER_WORDS + 1]):
            if token.text == ":":
                break
        else:
            return None
        if k == 0 or any(self.rules.verbs.match(self.keys, m) for m in range(k)):
            return None
        for m in range(k):
            if self.rules.attribution.match(self.keys, m) == ("header_from", 1):
                return self.name_after(m + 1)
        found = self.name_before(k)
        if found and found[0] == 0 and self._has_claimant_word(*found):
            return found
        return None

    def _has_claimant_word(self, first: int, end: int) -> bool:
        """A name of a claimant, not just capitalised words: a table entry, an office, a role or
        a person (first name + surname)."""
        for k in range(first, end):
            if self.rules.claimants.match(self.keys, k) or self._word_kind(k) in ("office", "role", "agency"):
                return True
            if self.keys[k] in self.rules.first_names and k + 1 < end:
                return True
        return False

    def frames(self) -> list[tuple[int, int, str, str | None]]:
        """Every (first, end, how, attribution kind) claimant frame in the sentence, in order."""
        found: list[tuple[int, int, str, str | None]] = []
        header = self.header()
        if header:
            found.append((*header, "header", None))
        k = 0
        rules = self.rules
        while k < len(self.tokens):
            key = self.keys[k]
            if not key or not (rules.attribution.starts(key) or rules.verbs.starts(key)):
                k += 1
                continue
            attribution = self.rules.attribution.match(self.keys, k)
            if attribution and attribution[0] in ("according", "pronoun"):
                kind, n = attribution
                if kind == "pronoun":
                    found.append((k, k + n, "pronoun", None))
                else:
                    name = self.name_after(k + n)
                    if name:
                        found.append((*name, "according", None))
                k += n
                continue
            verb = self.rules.verbs.match(self.keys, k)
            if verb and not self._inside_quotes(k):
                frame = self._verb_frame(k, verb[1])
                if frame:
                    found.append(frame)
                k += verb[1]
                continue
            k += 1
        found.sort(key=lambda item: item[0])
        return found

    def _inside_quotes(self, k: int) -> bool:
        opened = sum(t.text == "«" for t in self.tokens[:k]) - sum(t.text == "»" for t in self.tokens[:k])
        return opened > 0

    def _verb_frame(self, k: int, n: int) -> tuple[int, int, str, str | None] | None:
        before = k
        while before > 0 and self.keys[before - 1] in self.rules.adverbs:
            before -= 1
        previous = self.tokens[before - 1].text if before > 0 else ""
        # "Про це повідомили в ОВА", "Об этом он написал", "Про це у своєму каналі повідомив ..."
        back_reference = self.rules.attribution.match(self.keys, 0) == ("back_reference", 2) and k <= HEADER_WORDS
        inverted = previous in (",", "»", ":") or previous in _DASHES or before == 0 or \
            (before > 0 and self.rules.attribution.match(self.keys, before - 1) == ("inverted", 1))
        if back_reference:
            subject = self.name_before(k)
            if subject and subject[0] >= 2 and self._word_kind(subject[0]) == "pronoun":
                return (*subject, "back_reference", None)
            name = self.name_after(k + n)
            return (*name, "back_reference", None) if name else None
        if not inverted:
            subject = self.name_before(k)
            if subject:
                return (*subject, "subject", None)
        name = self.name_after(k + n)
        if name:
            # "«Слава ППО!» — написали в громаді.": a dash and the verb open the sentence after a quote
            opens = all(token.text in _DASHES for token in self.tokens[:before])
            how = "back_reference" if before and opens else "inverted"
            return (*name, how, None)
        return None


def _canonical(text: str, first: int, end: int, sentence: _Sentence, lang: str) -> tuple[str, str]:
    """(name, kind) of the claimant named by tokens [first, end)."""
    rules = sentence.rules
    start, stop, words_ = sentence.span(first, end)
    keys = sentence.keys[first:end]
    if len(keys) == 1 and sentence._word_kind(first) == "pronoun":
        return words_, "pronoun"
    if len(keys) == 1 and sentence._word_kind(first) == "agency":
        return words_, "agency"
    known: list[tuple[str, str, bool]] = []
    k = 0
    while k < len(keys):
        found = rules.claimants.match(keys, k)
        if found:
            known.append(found[0])
            k += found[1]
        else:
            k += 1
    person = next((item for item in known if item[1] == "person"), None)
    if person:
        return person[0], "person"
    names = [k for k in range(len(keys) - 1) if keys[k] in rules.first_names]
    if names:
        k = names[0]
        return " ".join(t.text for t in sentence.tokens[first + k:first + k + 2]), "person"
    government = [g for g in find_government_names(words_, lang) if g.start == 0]
    if government and len(keys) <= 2:
        return government[0].name, "government"
    has_office = any(sentence._word_kind(first + k) == "office" for k in range(len(keys)))
    if known and not has_office:
        name, kind, regional = known[0]
        if regional:
            region = find_region_phrases(words_, lang)
            if region and region[0].kind == "oblast":
                return f"{region[0].name.split(' ')[0]} {name}", kind
        return name, kind
    if any(sentence._word_kind(first + k) == "role" for k in range(len(keys))):
        return words_, "group"
    if sentence.tokens[first].text == "«":
        return words_, "media"
    return words_, "office" if has_office else "org"


def find_claimants(text: str, sentences: list[Sentence], lang: str) -> list[SentenceClaim]:
    """One SentenceClaim per sentence of `text` (split by geoevents.extract.sentences), in order."""
    rules = _rules(lang)
    claims = [SentenceClaim(s.index) for s in sentences]
    history: list[ClaimantSpan] = []  # every named claimant so far, for pronouns and "the agency"
    carried: ClaimantSpan | None = None
    paragraph = None
    own: list[bool] = [False] * len(sentences)
    for s in sentences:
        if s.paragraph != paragraph:
            paragraph, carried = s.paragraph, None
        reader = _Sentence(text, s, rules)
        claim = claims[s.index]
        claim.quoted = s.text.startswith("«") or _in_quotes(text, s.start)
        for first, end, how, _ in reader.frames():
            start, stop, words_ = reader.span(first, end)
            name, kind = _canonical(text, first, end, reader, lang)
            if how == "pronoun" or kind in ("pronoun", "agency"):
                name, kind = _resolve_reference(words_, kind, how, history)
                if name is None:
                    continue
            speaker = ClaimantSpan(words_, start, stop, name, kind, how)
            claim.speakers.append(speaker)
            if kind != "government":
                history.append(speaker)
        _remember_subject(reader, lang, history)
        if claim.speakers:
            claim.claimant = claim.speakers[0]
            own[s.index] = True
            if claim.claimant.how == "back_reference":
                _attribute_back(claims, own, sentences, s, claim.claimant)
            carried = claim.claimant if claim.claimant.kind != "government" else None
        elif carried is not None and not _turns_away(reader):
            claim.claimant = ClaimantSpan(carried.text, carried.start, carried.end, carried.name, carried.kind,
                                          "carried")
        else:
            carried = None
    return claims


def _remember_subject(reader: _Sentence, lang: str, history: list[ClaimantSpan]) -> None:
    """'Директор МАГАТЭ посетил ... По его словам': a named official who opens a sentence is what a
    later pronoun may refer to, though not a claimant of this sentence."""
    found = reader.name_after(0) if reader.tokens and reader.keys[0] not in _PREPOSITIONS else None
    if not found or not reader._has_claimant_word(*found):
        return
    start, stop, words_ = reader.span(*found)
    if any(item.start == start for item in history):
        return
    name, kind = _canonical(reader.text, found[0], found[1], reader, lang)
    if kind not in ("pronoun", "agency", "government"):
        history.append(ClaimantSpan(words_, start, stop, name, kind, "mention"))


def _in_quotes(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    return before.count("«") > before.count("»")


def _turns_away(reader: _Sentence) -> bool:
    found = reader.rules.attribution.match(reader.keys, 0)
    return bool(found and found[0] == "break")


def _resolve_reference(words_: str, kind: str, how: str, history: list[ClaimantSpan]) -> tuple[str | None, str]:
    """'він' / 'за його словами' -> the last person (else the last claimant); 'відомство' /
    'ведомство' -> the last institution or office; 'вони', 'по их данным' -> the last claimant."""
    low = fold(words_)
    if not history:
        return None, kind
    if kind == "agency":
        found = next((c for c in reversed(history) if c.kind in ("org", "office")), None)
    elif re.search(r"\b(?:він|вона|його|її|он|она|его|ее)\b", low):
        found = next((c for c in reversed(history) if c.kind == "person"), history[-1])
    else:
        found = history[-1]
    return (found.name, found.kind) if found else (None, kind)


def _attribute_back(claims: list[SentenceClaim], own: list[bool], sentences: list[Sentence], s: Sentence,
                    claimant: ClaimantSpan) -> None:
    """'Про це повідомили в ОВА': the sentences before, back to the last one with its own claimant."""
    k = s.index - 1
    while k >= 0 and sentences[k].paragraph == s.paragraph and not own[k]:
        claims[k].claimant = ClaimantSpan(claimant.text, claimant.start, claimant.end, claimant.name, claimant.kind,
                                          "back_reference")
        k -= 1


def claimant_at(claim: SentenceClaim, offset: int) -> ClaimantSpan | None:
    """The claimant of the words at `offset`: the nearest speaker before it in the sentence
    ("Київ заявив про 5 збитих, тоді як Москва — про 20"), else the sentence's."""
    before = [speaker for speaker in claim.speakers if speaker.start <= offset]
    return before[-1] if before else claim.claimant
