"""Region phrases in Ukrainian and Russian text, in every case form, with their ISO 3166-2 codes.

Reports locate events by region far more often than by village: "у Курській області",
"Донецької та Луганської областей" (two regions under one noun), "в Сумской и Харьковской
областях", "на Донеччині", "з Сумщини", "по Курщине", "в ДНР", "в Крыму", "Покровський район".
The rules are tables, not per-form patterns: the adjective of every region per language
(`lang/<code>/oblasts.tsv`) declined with the adjective endings (`adjective_endings.tsv`), the
colloquial nouns and noun-named regions declined with the project's case tables
(`geoevents.text.declension`), and the nouns that make an adjective a region
(`region_heads.tsv`: область, край, ОВА, напрямок, народна республіка, район, громада). Every form
goes into one dictionary, so a text is read in one pass over its words.

The span follows the evaluation sets' convention: a single region with its noun is one span
("Курській області"); when several adjectives share the noun, or the noun is an office or a
front sector ("Харківської ОВА", "Запорізькому напрямку"), each adjective is its own span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geoevents.extract.raions import units
from geoevents.extract.slavic_data import WORD, adjective_endings, entries, every_adjective_ending, fold, table, words
from geoevents.text.declension import case_forms

# head kinds after which the region is where things happen, not an office or a sector
TERRITORY_HEADS = frozenset({"territory", "republic"})
DISTRICT_HEADS = {"raion": ("raion", "city_district"), "hromada": ("hromada",)}


@dataclass(frozen=True)
class RegionPhrase:
    """One region named in the text.

    `codes`: ISO 3166-2 of the first-level unit(s) (empty when a district's oblast is unknown);
    `kind`: oblast | krai | colloquial | admin1 | region | city | raion | hromada | city_district;
    `name`: the nominative ("Курська область", "Донеччина", "Покровський район");
    `head`/`head_kind`: the noun that made it a region and what it is (territory, authority,
    direction, facility, republic, raion, hromada; None for a noun-named region);
    `occupation`: named as the occupying power names it (ДНР, "Донецкая Народная Республика");
    `phrase_start`/`phrase_end`: the whole phrase when several regions share one noun;
    `units`/`other_codes` (districts): the unit names found, and the oblasts of a namesake
    district of another level (a city district named like a raion)."""

    text: str
    start: int
    end: int
    codes: tuple[str, ...]
    kind: str
    name: str
    head: str | None = None
    head_kind: str | None = None
    occupation: bool = False
    phrase_start: int = -1
    phrase_end: int = -1
    units: tuple[str, ...] = field(default_factory=tuple)  # district names as the unit table writes them
    other_codes: tuple[str, ...] = field(default_factory=tuple)  # a namesake district's oblasts

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "codes": list(self.codes),
                "kind": self.kind, "name": self.name, "head": self.head, "head_kind": self.head_kind,
                "occupation": self.occupation, "phrase_start": self.phrase_start,
                "phrase_end": self.phrase_end, "units": list(self.units),
                "other_codes": list(self.other_codes)}


@dataclass(frozen=True)
class _Adjective:
    code: str
    kind: str  # oblast | krai
    name: str  # nominative phrase: "Курська область"


@dataclass(frozen=True)
class _Noun:
    tokens: tuple[str, ...]  # folded words
    codes: tuple[str, ...]
    kind: str
    name: str
    occupation: bool


@dataclass(frozen=True)
class _Lexicon:
    lang: str
    adjectives: dict[str, list[_Adjective]]
    nouns: dict[str, list[_Noun]]  # first folded word -> names, longest first
    heads: dict[str, tuple[str, str]]  # folded form (one or two words) -> (lemma, kind)
    coordinators: frozenset[str]
    occupation_cues: tuple[str, ...]
    adjective_ending: re.Pattern[str]
    colloquial: re.Pattern[str]
    colloquial_to_adjective: dict[str, str]


def _noun_forms(name: str, lang: str, listed: str) -> list[str]:
    if listed:
        return [form.strip() for form in listed.split("|")]
    if " " in name or name.isupper():
        return [name]
    forms = [name]
    for case_forms_of in case_forms(name, lang).values():
        forms.extend(form for form in case_forms_of if form not in forms)
    return forms


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    endings = adjective_endings(lang)
    adjectives: dict[str, list[_Adjective]] = {}
    nouns: dict[str, list[_Noun]] = {}

    def add_noun(form: str, noun: _Noun) -> None:
        bucket = nouns.setdefault(noun.tokens[0], [])
        if noun not in bucket:
            bucket.append(noun)
            bucket.sort(key=lambda item: -len(item.tokens))

    for row in table(lang, "oblasts"):
        gender = row["gender"]
        kind = "oblast" if gender == "fem" else "krai"
        head = "область" if gender == "fem" else "край"
        variants = row["adjective"].split("|")
        for variant in variants:
            nominative = next(e for e in sorted(endings[gender]["nomn"], key=len, reverse=True)
                              if fold(variant).endswith(e))
            stem = fold(variant)[: -len(nominative)]
            entry = _Adjective(row["code"], kind, f"{variants[0]} {head}")
            for per_case in endings.values():
                for case_endings in per_case.values():
                    for ending in case_endings:
                        bucket = adjectives.setdefault(stem + ending, [])
                        if entry not in bucket:
                            bucket.append(entry)
        for colloquial in filter(None, row["colloquial"].split("|")):
            for form in _noun_forms(colloquial, lang, ""):
                tokens = tuple(fold(w) for w in WORD.findall(form))
                add_noun(form, _Noun(tokens, (row["code"],), "colloquial", colloquial, False))
    for row in table(lang, "region_names"):
        codes = tuple(code.strip() for code in row["codes"].split(","))
        for form in _noun_forms(row["name"], lang, row["forms"]):
            tokens = tuple(fold(w) for w in WORD.findall(form))
            add_noun(form, _Noun(tokens, codes, row["kind"], row["name"], row["occupation"] == "yes"))
    heads = {fold(row["form"]): (row["lemma"], row["kind"]) for row in table(lang, "region_heads")}
    suffixes = {fold(row["noun"]): fold(row["adjective"]) for row in table(lang, "colloquial_suffixes")}
    colloquial_endings = "|".join(sorted(words(lang, "colloquial_endings"), key=len, reverse=True))
    suffix_alternation = "|".join(sorted(suffixes, key=len, reverse=True))
    return _Lexicon(
        lang=lang, adjectives=adjectives, nouns=nouns, heads=heads,
        coordinators=words(lang, "coordinators"),
        occupation_cues=tuple(fold(cue) for cue in entries(lang, "occupation_cues")),
        adjective_ending=re.compile("(?:" + "|".join(every_adjective_ending(lang)) + ")$"),
        colloquial=re.compile(rf"^(?P<stem>.+?)(?P<suffix>{suffix_alternation})(?:{colloquial_endings})$"),
        colloquial_to_adjective=suffixes,
    )


class _Token:
    """A word: offsets, the text, its folded key and whether it is capitalised."""

    __slots__ = ("start", "end", "text", "key", "capitalised")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.key = fold(text)
        self.capitalised = text[0].isupper()


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def find_region_phrases(text: str, lang: str) -> list[RegionPhrase]:
    """Every region phrase in `text` (Ukrainian `uk` or Russian `ru`), in text order."""
    lex = _lexicon(lang)
    tokens = _tokens(text)
    found: list[RegionPhrase] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].capitalised:  # every phrase starts with a capital
            i += 1
            continue
        taken = (_noun_at(text, tokens, i, lex) or _adjectives_at(text, tokens, i, lex)
                 or _district_at(text, tokens, i, lex) or _colloquial_district_at(tokens, i, lex))
        if taken is None:
            i += 1
            continue
        phrases, next_i = taken
        for phrase in phrases:
            found.append(_with_occupation(phrase, text, tokens, i, lex))
        i = max(next_i, i + 1)
    return _narrow_districts(text, found)


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces between two words (no punctuation, no line break)."""
    gap = text[left.end:right.start]
    return not gap.strip() and "\n" not in gap


def _noun_at(text: str, tokens: list[_Token], i: int, lex: _Lexicon):
    token = tokens[i]
    if not token.capitalised or token.key not in lex.nouns:
        return None
    for noun in lex.nouns[token.key]:
        n = len(noun.tokens)
        window = tokens[i:i + n]
        if len(window) < n or tuple(t.key for t in window) != noun.tokens:
            continue
        if any(not _adjacent(text, a, b) for a, b in zip(window, window[1:])):
            continue
        start, end = window[0].start, window[-1].end
        phrase = RegionPhrase(text[start:end], start, end, noun.codes, noun.kind, noun.name,
                              occupation=noun.occupation, phrase_start=start, phrase_end=end)
        return [phrase], i + n
    return None


def _head_at(text: str, tokens: list[_Token], j: int, lex: _Lexicon) -> tuple[str, str, int] | None:
    """(lemma, kind, index after the head) of a region noun starting at token j."""
    if j >= len(tokens) or not _adjacent(text, tokens[j - 1], tokens[j]):
        return None
    if j + 1 < len(tokens) and _adjacent(text, tokens[j], tokens[j + 1]):
        two = f"{tokens[j].key} {tokens[j + 1].key}"
        if two in lex.heads:
            return (*lex.heads[two], j + 2)
    if tokens[j].key in lex.heads:
        return (*lex.heads[tokens[j].key], j + 1)
    return None


def _adjectives_at(text: str, tokens: list[_Token], i: int, lex: _Lexicon):
    """'Курській області', 'Донецької та Луганської областей', 'Харківської ОВА'."""
    token = tokens[i]
    if not token.capitalised or token.key not in lex.adjectives:
        return None
    group, j = _coordinated(text, tokens, i, lex)
    head = _head_at(text, tokens, j, lex)
    if head is None:
        return None
    lemma, kind, after = head
    if kind in DISTRICT_HEADS:
        phrases = [_district(text, tokens, index, j, after, lemma, kind, lex, len(group) == 1) for index in group]
        return phrases, after
    phrases = []
    whole_start, whole_end = tokens[group[0]].start, tokens[after - 1].end
    # "на Харківському та Куп'янському напрямках": only the oblasts' adjectives are regions here
    group = [index for index in group if tokens[index].key in lex.adjectives]
    for index in group:
        adjective = tokens[index]
        entries_ = lex.adjectives[adjective.key]
        codes = tuple(dict.fromkeys(entry.code for entry in entries_))
        if len(group) == 1 and kind in TERRITORY_HEADS:
            start, end = adjective.start, tokens[after - 1].end
        else:
            start, end = adjective.start, adjective.end
        name = entries_[0].name
        if kind == "republic":  # "Донецкая Народная Республика", as the occupying power calls it
            name = name.split(" ")[0] + " " + lemma.title()
        phrases.append(RegionPhrase(text[start:end], start, end, codes, entries_[0].kind, name, lemma, kind,
                                    occupation=kind == "republic", phrase_start=whole_start, phrase_end=whole_end))
    return phrases, after


def _coordinated(text: str, tokens: list[_Token], i: int, lex: _Lexicon) -> tuple[list[int], int]:
    """Adjectives joined by commas or 'та/і/и' from token i ("Сумська, Харківська та Чернігівська"),
    and the index after them (where their shared noun should be)."""
    group = [i]
    j = i + 1
    while j < len(tokens):
        gap = text[tokens[j - 1].end:tokens[j].start]
        if gap.strip() == "," and _capitalised_adjective(tokens[j], lex):
            group.append(j)
            j += 1
        elif (not gap.strip() and tokens[j].key in lex.coordinators and j + 1 < len(tokens)
              and _adjacent(text, tokens[j], tokens[j + 1]) and _capitalised_adjective(tokens[j + 1], lex)):
            group.append(j + 1)
            j += 2
        else:
            break
    return group, j


def _capitalised_adjective(token: _Token, lex: _Lexicon) -> bool:
    """A region's adjective, or another capitalised adjective sharing the noun (Куп'янському)."""
    if not token.capitalised:
        return False
    if token.key in lex.adjectives:
        return True
    ending = lex.adjective_ending.search(token.key)
    return ending is not None and ending.start() >= 3


def _district(text: str, tokens: list[_Token], index: int, head_index: int, after: int, lemma: str, kind: str,
              lex: _Lexicon, single: bool) -> RegionPhrase:
    adjective = tokens[index]
    stem = lex.adjective_ending.sub("", adjective.key)
    every = _own_language_first(units(stem, DISTRICT_HEADS[kind]), lex.lang)
    # a raion before a city district of the same name (Покровський: Donetsk oblast's raion, and a
    # district of Kryvyi Rih); the others stay as alternatives
    level = next((lvl for lvl in DISTRICT_HEADS[kind] if any(unit.level == lvl for unit in every)), kind)
    found = [unit for unit in every if unit.level == level]
    codes = tuple(dict.fromkeys(unit.admin1 for unit in found))
    others = tuple(dict.fromkeys(unit.admin1 for unit in every if unit.admin1 not in codes))
    start = adjective.start
    end = tokens[after - 1].end if single else adjective.end
    names = tuple(dict.fromkeys(unit.name for unit in found))
    nominative = names[0] if names else adjective.text
    return RegionPhrase(text[start:end], start, end, codes, level, f"{nominative} {lemma}", lemma, kind,
                        phrase_start=adjective.start, phrase_end=tokens[after - 1].end, units=names,
                        other_codes=others)


def _district_at(text: str, tokens: list[_Token], i: int, lex: _Lexicon):
    """'Покровський район', 'Суджанском районе', 'Куцурубську громаду' (adjective not an oblast's)."""
    if not _capitalised_adjective(tokens[i], lex):
        return None  # "У громадах": a preposition is no adjective
    group, j = _coordinated(text, tokens, i, lex)
    head = _head_at(text, tokens, j, lex)
    if head is None or head[1] not in DISTRICT_HEADS:
        return None
    lemma, kind, after = head
    return [_district(text, tokens, index, j, after, lemma, kind, lex, len(group) == 1) for index in group], after


def _colloquial_district_at(tokens: list[_Token], i: int, lex: _Lexicon):
    """'Нікопольщину', 'Ізюмщини': a raion's colloquial noun (oblasts' own are nouns above)."""
    token = tokens[i]
    if not token.capitalised:
        return None
    match = lex.colloquial.match(token.key)
    if match is None:
        return None
    stem = match.group("stem") + lex.colloquial_to_adjective[match.group("suffix")]
    found = _own_language_first(units(stem, ("raion",)), lex.lang)
    if not found:
        return None
    codes = tuple(dict.fromkeys(unit.admin1 for unit in found))
    names = tuple(dict.fromkeys(unit.name for unit in found))
    nominative = token.text[: len(match.group("stem")) + len(match.group("suffix"))] + "а"
    phrase = RegionPhrase(token.text, token.start, token.end, codes, "raion", nominative, None, "raion",
                          phrase_start=token.start, phrase_end=token.end, units=names)
    return [phrase], i + 1


def _own_language_first(found: list, lang: str) -> list:
    """Units named in the text's language first (their name is the phrase's nominative)."""
    return sorted(found, key=lambda unit: unit.lang != lang)


def _with_occupation(phrase: RegionPhrase, text: str, tokens: list[_Token], i: int, lex: _Lexicon) -> RegionPhrase:
    """'врио губернатора Запорожской области': the occupying power's region (Ukrainian codes only)."""
    if phrase.occupation or not any(code.startswith("UA-") for code in phrase.codes):
        return phrase
    before = [t.key for t in tokens[max(0, i - 3):i]]
    if any(word.startswith(lex.occupation_cues) for word in before):
        return RegionPhrase(**{**phrase.__dict__, "occupation": True})
    return phrase


def _narrow_districts(text: str, found: list[RegionPhrase]) -> list[RegionPhrase]:
    """'Покровського району Донецької області', 'Сумського і Охтирського районів Сумської області':
    the oblast right after the district phrase settles the districts' oblast."""
    out = list(found)
    for k, phrase in enumerate(out):
        if phrase.head_kind not in DISTRICT_HEADS:
            continue
        following = next((p for p in out[k + 1:] if p.start >= phrase.phrase_end), None)
        if (following is not None and following.head_kind == "territory"
                and not text[phrase.phrase_end:following.start].strip(" ,")):
            codes = tuple(code for code in phrase.codes if code in following.codes) or following.codes
            out[k] = RegionPhrase(**{**phrase.__dict__, "codes": codes})
    return out
