"""Case forms of Ukrainian and Russian place names, and the way back.

Reporting writes "у Покровську", "під Курськом", "в районе Малой Локни": to find
the place, a declined form has to lead back to its nominative, and the index
may want the declined forms of its names. pymorphy's dictionaries would do this
but are CC BY-SA, so the rules are our own small suffix tables
(geoevents/text/uk/declension.tsv, geoevents/text/ru/declension.tsv): per word,
the longest matching nominative ending gives the endings of the other cases.
In names of several words the adjectives agree with their noun (Мала Локня ->
Малої Локні); a possessive first word (Часів Яр) and everything after a
preposition (Ростов-на-Дону) stay as they are.

`case_forms(name, lang)` gives the forms per case; `lemma_candidates(text, lang)`
gives the nominatives a declined form may come from (several: the caller keeps
those that are real names).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from geoevents.text.tables import read_table

CASES = ("gent", "datv", "accs", "ablt", "loct")
LANGS = ("uk", "ru")
MAX_CANDIDATES = 24
MAX_TRIED = 4096

# Second words that make the first word the noun (Новоселівка Друга, Желанное Первое).
_ORDINALS = {
    "uk": {"перша", "друга", "третя", "перше", "друге", "третє", "перший", "другий", "третій",
           "перші", "другі"},
    "ru": {"первая", "вторая", "третья", "первое", "второе", "третье", "первый", "второй", "третий",
           "первые", "вторые"},
}
# Words after which the rest of a name does not decline (Ростов-на-Дону).
_PREPOSITIONS = {"uk": {"на", "над", "під", "при", "біля"}, "ru": {"на", "над", "под", "при", "у"}}
# Prepositions a caller may leave in front of a declined name ("під Курськом").
_LEADING = {
    "uk": {"в", "у", "на", "під", "біля", "з", "із", "зі", "до", "від", "поблизу", "за", "над", "через",
           "між", "поруч", "коло", "повз"},
    "ru": {"в", "во", "на", "под", "у", "из", "до", "от", "около", "близ", "возле", "к", "ко", "с", "со",
           "за", "над", "через", "между", "под", "район", "районе"},
}
# A possessive first word stays unchanged in the other cases (Часів Яр -> Часів Яру).
_POSSESSIVE = {"uk": re.compile(r"(ів|їв|ин|ине)$"), "ru": re.compile(r"(ов|ев|ин)$")}
_APOSTROPHE = re.compile(r"[’ʼ`´‘]")
_PARTS = re.compile(r"(\s+|-)")


@dataclass(frozen=True)
class _Rule:
    ending: str
    kind: str  # "noun" or "adj"
    forms: dict[str, tuple[str, ...]]  # case -> endings ("=" nominative, "" none)


@lru_cache(maxsize=2)
def _rules(lang: str) -> tuple[_Rule, ...]:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    rules = []
    for row in read_table(lang, "declension.tsv"):
        ending, kind, *cells = row
        forms = {case: tuple("" if e == "0" else e for e in cell.split("|")) for case, cell in zip(CASES, cells)}
        rules.append(_Rule(ending, kind, forms))
    # longest ending first; among equals the noun (table order keeps nouns first)
    return tuple(sorted(rules, key=lambda r: -len(r.ending)))


def _rule_for(word: str, lang: str, kind: str | None) -> _Rule | None:
    for rule in _rules(lang):
        if (kind is None or rule.kind == kind) and word.endswith(rule.ending) and (
                len(word) > len(rule.ending) or len(rule.ending) >= 2):
            return rule
    return None


def _recase(template: str, word: str) -> str:
    if template[:1].isupper() and word:
        return word[0].upper() + word[1:]
    return word


def _roles(words: list[str], lang: str) -> list[str | None]:
    """Role of each word: "noun", "adj", None (standalone: the table decides) or "fixed"."""
    roles: list[str | None] = [None] * len(words)
    if len(words) == 1:
        return roles
    head = len(words) - 1
    if words[-1] in _ORDINALS[lang]:
        head = len(words) - 2
    for i in range(len(words)):
        if i == head:
            roles[i] = "noun"
        elif i < head and _POSSESSIVE[lang].search(words[i]) and _rule_for(words[i], lang, "adj") is None:
            roles[i] = "fixed"
        else:
            roles[i] = "adj"
    return roles


def _split(name: str) -> tuple[list[str], list[str]]:
    """Words of a name and the separators between them (spaces keep the words of a
    phrase in agreement; hyphenated parts decline each on its own)."""
    pieces = _PARTS.split(_APOSTROPHE.sub("'", name.strip()))
    return pieces[0::2], pieces[1::2]


def _groups(words: list[str], seps: list[str]) -> list[list[int]]:
    """Indices of words joined by spaces (a phrase); hyphens start a new group."""
    groups = [[0]]
    for i, sep in enumerate(seps, start=1):
        if sep == "-":
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _word_forms(word: str, lang: str, role: str | None) -> dict[str, list[str]]:
    low = word.lower()
    rule = None if role == "fixed" else _rule_for(low, lang, role)
    if rule is None and role == "noun":
        rule = _rule_for(low, lang, None)  # a noun-like adjective (Желанне Перше)
    if rule is None:
        return {case: [word] for case in CASES}
    stem = low[: -len(rule.ending)]
    out = {}
    for case in CASES:
        forms = []
        for ending in rule.forms[case]:
            form = low if ending == "=" else stem + ending
            if form not in forms:
                forms.append(form)
        out[case] = [_recase(word, f) for f in forms]
    return out


@lru_cache(maxsize=65536)
def _case_forms(name: str, lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    words, seps = _split(name)
    roles: list[str | None] = [None] * len(words)
    for group in _groups(words, seps):
        for i, role in zip(group, _roles([words[i].lower() for i in group], lang)):
            roles[i] = role
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _PREPOSITIONS[lang]:
            roles[i:] = ["fixed"] * (len(words) - i)
            break
    per_word = [_word_forms(w, lang, r) for w, r in zip(words, roles)]
    out = []
    for case in CASES:
        phrases = []
        for combo in itertools.islice(itertools.product(*(f[case] for f in per_word)), MAX_CANDIDATES):
            text = combo[0] + "".join(s + w for s, w in zip(seps, combo[1:]))
            if text not in phrases:
                phrases.append(text)
        out.append((case, tuple(phrases)))
    return tuple(out)


def case_forms(name: str, lang: str) -> dict[str, list[str]]:
    """The name in the genitive, dative, accusative, instrumental and locative
    (prepositional): {"gent": ["Покровська"], "loct": ["Покровську"], ...}.

    A case may have several forms (Курахово: "Курахово" and "Курахове")."""
    return {case: list(forms) for case, forms in _case_forms(name, lang)}


def _word_lemmas(word: str, lang: str, kinds: tuple[str, ...]) -> list[tuple[str, frozenset[str]]]:
    """(nominative, cases it could be in) for one word; the word itself counts as
    a nominative (or an indeclinable form) in every case."""
    low = word.lower()
    found: dict[str, set[str]] = {low: set(CASES) | {"nomn"}}
    for rule in _rules(lang):
        if rule.kind not in kinds:
            continue
        for case in CASES:
            for ending in rule.forms[case]:
                if ending == "=":
                    continue
                if ending == "" and (not low or low[-1] in "аеєиіїоуюяыэёьй'"):
                    continue  # a bare stem ends in a consonant (Сум, Погрібок)
                # a bare stem of two letters at least, unless the row is a whole word (Яр, Ріг)
                shortest = 0 if len(rule.ending) >= 2 and len(ending) >= 2 else 2
                if low.endswith(ending) and len(low) - len(ending) >= shortest:
                    lemma = low[: len(low) - len(ending)] + rule.ending
                    found.setdefault(lemma, set()).add(case)
    return [(_recase(word, lemma), frozenset(cases)) for lemma, cases in found.items()]


def _group_lemmas(words: list[str], lang: str) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """Nominative readings of one phrase (words in agreement), with the cases they fit."""
    if len(words) == 1:
        structures = [[("noun", "adj")]]
    else:
        structures = [[("adj",)] * (len(words) - 1) + [("noun", "adj")]]
        last = _word_lemmas(words[-1], lang, ("adj",))
        if any(lemma.lower() in _ORDINALS[lang] for lemma, _ in last):
            structures.append([("adj",)] * (len(words) - 2) + [("noun", "adj"), ("adj",)])
    found: dict[tuple[str, ...], set[str]] = {}
    for kinds_per_word in structures:
        per_word = [_word_lemmas(w, lang, kinds) for w, kinds in zip(words, kinds_per_word)]
        for combo in itertools.product(*per_word):
            common = frozenset.intersection(*(cases for _, cases in combo))
            if common:
                found.setdefault(tuple(w for w, _ in combo), set()).update(common)
    return [(lemmas, frozenset(cases)) for lemmas, cases in found.items()]


@lru_cache(maxsize=65536)
def _lemma_candidates(text: str, lang: str) -> tuple[str, ...]:
    words, seps = _split(text)
    while len(words) > 1 and words[0].lower() in _LEADING[lang] and seps[0] != "-":
        words, seps = words[1:], seps[1:]  # "в районе Мирного" -> "Мирного"
    groups = _groups(words, seps)
    options = [_group_lemmas([words[i] for i in group], lang) for group in groups]
    given = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    out = [given]
    for combo in itertools.islice(itertools.product(*options), MAX_TRIED):
        # hyphenated parts decline each on its own but stand in the same case
        if not frozenset.intersection(*(cases for _, cases in combo)):
            continue
        lemmas = [w for group_lemmas, _ in combo for w in group_lemmas]
        phrase = lemmas[0] + "".join(s + w for s, w in zip(seps, lemmas[1:]))
        # keep only nominatives whose own case forms give back the text
        if phrase not in out and any(given.lower() == form.lower()
                                     for _, forms in _case_forms(phrase, lang) for form in forms):
            out.append(phrase)
            if len(out) >= MAX_CANDIDATES:
                break
    return tuple(out)


def lemma_candidates(text: str, lang: str) -> list[str]:
    """Nominatives a (possibly declined) name may come from, the text itself first:
    "Покровську" -> [..., "Покровськ", ...]; "Малой Локни" -> [..., "Малая Локня", ...].

    A leading preposition ("під Курськом") is dropped. Candidates are spelled with
    the capitalisation of the words given; compare them case-insensitively."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return list(_lemma_candidates(text, lang))
