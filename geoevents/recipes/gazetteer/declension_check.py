"""How often our case-ending tables agree with pymorphy3 on real settlement names.

pymorphy3 with its uk/ru dictionaries (CC BY-SA, so a test-only oracle, never a
source of shipped forms) inflects each word of a name: a Geox (toponym) parse in
the nominative if it has one, else a noun or adjective in the nominative.
Agreement = the oracle's form is among `case_forms`' forms for that case; the
inverse = `lemma_candidates` of the oracle's form contains the name. The oracle
is not always right (Ukrainian has no Geox tags, so villages inflect by
guessed suffix), so the figures are a floor, not an error rate.

Usage: python -m geoevents.recipes.gazetteer.declension_check [N]
"""

from __future__ import annotations

import random
import re
import sys

from geoevents.text.declension import CASES, case_forms, lemma_candidates

_ANALYSERS: dict = {}


def _analyser(lang: str):
    if lang not in _ANALYSERS:
        import pymorphy3

        _ANALYSERS[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return _ANALYSERS[lang]


def _parse(morph, word: str):
    parses = morph.parse(word)
    for wanted in (lambda p: "Geox" in p.tag.grammemes and "nomn" in p.tag.grammemes,
                   lambda p: p.tag.POS in ("NOUN", "ADJF") and "nomn" in p.tag.grammemes):
        chosen = [p for p in parses if wanted(p)]
        if chosen:
            return chosen[0]
    return None


def oracle_forms(name: str, lang: str) -> dict[str, str] | None:
    """pymorphy3's form of `name` per case (None when it cannot inflect a word)."""
    morph = _analyser(lang)
    words = re.split(r"(\s+|-)", name)
    out = {}
    for case in CASES:
        pieces = []
        for piece in words:
            if not piece or re.fullmatch(r"\s+|-", piece):
                pieces.append(piece)
                continue
            parse = _parse(morph, piece)
            form = parse.inflect({case}) if parse is not None else None
            if form is None:
                return None
            pieces.append(form.word)
        out[case] = "".join(pieces)
    return out


def agreement(names: list[str], lang: str) -> dict:
    """Share of (name, case) pairs where our forms contain the oracle's, and where the
    oracle's form leads back to the name; plus the names the oracle could not inflect."""
    checked = forms_ok = lemma_ok = skipped = 0
    misses = []
    per_case = {case: [0, 0] for case in CASES}
    for name in names:
        oracle = oracle_forms(name, lang)
        if oracle is None:
            skipped += 1
            continue
        ours = case_forms(name, lang)
        for case in CASES:
            checked += 1
            expected = oracle[case].lower()
            per_case[case][1] += 1
            if expected in (f.lower() for f in ours[case]):
                forms_ok += 1
                per_case[case][0] += 1
            elif len(misses) < 30:
                misses.append((name, case, oracle[case], ours[case]))
            if name.lower() in (c.lower() for c in lemma_candidates(oracle[case], lang)):
                lemma_ok += 1
    return {"names": len(names), "skipped": skipped, "checked": checked,
            "case_forms": round(forms_ok / checked, 4) if checked else 0.0,
            "lemma_candidates": round(lemma_ok / checked, 4) if checked else 0.0,
            "per_case": {c: round(ok / n, 3) for c, (ok, n) in per_case.items() if n}, "misses": misses}


def sample(names, n: int, seed: int = 0) -> list[str]:
    unique = sorted(set(names))
    return random.Random(seed).sample(unique, min(n, len(unique)))


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from geoevents.paths import gazetteer_dir

    n = int((argv or sys.argv[1:] or ["1000"])[0])
    ua = pd.read_csv(gazetteer_dir() / "ua_settlements.csv.gz", dtype=str)
    ru = pd.read_csv(gazetteer_dir() / "ru_settlements.csv.gz", dtype=str)
    for lang, names in (("uk", ua["name_uk"]), ("ru", ru["name_ru"])):
        result = agreement(sample(names, n), lang)
        print(lang, {k: v for k, v in result.items() if k != "misses"})
        for miss in result["misses"]:
            print("  ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
