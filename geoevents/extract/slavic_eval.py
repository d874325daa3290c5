"""Score each Ukrainian/Russian component on its own against the frozen evaluation sets.

The uk/ru components (language detection, region phrases, dates, figures, claimants, government
names, words that are not places) are built before they are wired into `extract`, so each is
measured directly on the gold of tests/data/geoparse/gold.json, per language and part (dev /
held-out): a component that is right here is right for the pipeline that will call it.

What counts, per component:
- language: passages whose language is detected right (English passages included);
- regions: gold admin-1 mentions (region phrases) found with the exact span, and with an ISO code
  that contains the gold region; predictions that are no gold admin-1 span are false positives
  (cities that are their own region, Sevastopol, are left out: they are places);
- districts: gold admin-2 mentions (raions, hromadas, city districts) by exact span;
- dates: gold date phrases whose value is found (as geoparse_eval counts them); phrases found
  that the gold does not list are counted apart (the gold lists only the dates events need);
- figures: gold claims whose value and unit are read (optional claims skipped); figures read
  that the gold does not list are counted apart, and vague quantities are never figures;
- claimants: gold claims whose figure is read and whose claimant matches (the gold name inside
  the claimant's name or words, or the other way round; None = the story's own voice);
- government names: gold mentions of capitals and landmarks whose reading matches the gold
  role (actor = government, event location = location);
- non-places: gold traps flagged, and gold toponyms wrongly flagged.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geoevents.extract.langid import detect_language
from geoevents.extract.metonymy import find_government_names
from geoevents.extract.non_places import find_non_places
from geoevents.extract.region_phrases import find_region_phrases
from geoevents.extract.sentences import split_sentences
from geoevents.extract.slavic_claimants import claimant_at, find_claimants
from geoevents.extract.slavic_data import WORD
from geoevents.extract.slavic_dates import find_dates
from geoevents.extract.slavic_figures import scan_figures

COMPONENTS = ("language", "regions", "districts", "dates", "figures", "claimants", "governments", "non_places")
DISTRICT_KINDS = frozenset({"raion", "hromada", "city_district"})


@dataclass
class Count:
    """Hits, misses and false alarms of one component on one slice."""

    right: int = 0
    gold: int = 0
    predicted: int = 0
    correct_predictions: int = 0
    unlisted: int = 0  # found, not in the gold, not judged wrong (dates and figures the gold omits)

    def add(self, other: Count) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        """Right predictions over the predictions the gold can judge (not the unlisted ones)."""
        judged = self.predicted - self.unlisted
        return self.correct_predictions / judged if judged else 0.0


@dataclass
class ComponentReport:
    counts: dict[tuple[str, str, str], Count] = field(default_factory=dict)  # (component, lang, part)
    errors: list[str] = field(default_factory=list)

    def count(self, component: str, lang: str, part: str) -> Count:
        return self.counts.setdefault((component, lang, part), Count())

    def total(self, component: str, lang: str | None = None, part: str | None = None) -> Count:
        out = Count()
        for (name, tally_lang, tally_part), tally in self.counts.items():
            if name == component and lang in (None, tally_lang) and part in (None, tally_part):
                out.add(tally)
        return out


def _overlaps(a: dict[str, Any] | Any, start: int, end: int) -> bool:
    a_start, a_end = (a["start"], a["end"]) if isinstance(a, dict) else (a.start, a.end)
    return a_start < end and start < a_end


def claimant_matches(gold: str | None, name: str | None, words: str | None) -> bool:
    """As geoparse_eval: the gold name inside the claimant's name or words, or the other way round."""
    if gold is None:
        return name is None
    if name is None:
        return False
    gold = gold.lower()
    return any(gold in text.lower() or text.lower() in gold for text in (name, words or "") if text)


def score_passage(passage: dict[str, Any], report: ComponentReport) -> None:
    lang, part, pid = passage["lang"], passage["split"], passage["id"]
    text = passage["text"]
    label = f"{lang}/{part} {pid}"
    guess = detect_language(text)
    tally = report.count("language", lang, part)
    tally.gold += 1
    tally.predicted += 1
    tally.right += guess.lang == lang
    tally.correct_predictions += guess.lang == lang
    if guess.lang != lang:
        report.errors.append(f"{label}: language read as {guess.lang}")
    if lang not in ("uk", "ru"):
        return
    _score_regions(passage, report, label)
    _score_dates(passage, report, label)
    _score_figures_and_claimants(passage, report, label)
    _score_governments(passage, report, label)
    _score_non_places(passage, report, label)


def _score_regions(passage: dict[str, Any], report: ComponentReport, label: str) -> None:
    lang, part, text = passage["lang"], passage["split"], passage["text"]
    found = find_region_phrases(text, lang)
    for component, features, keep in (
            ("regions", ("admin1",), lambda p: p.kind not in DISTRICT_KINDS and p.kind != "city"),
            ("districts", ("admin2",), lambda p: p.kind in DISTRICT_KINDS)):
        tally = report.count(component, lang, part)
        gold = [m for m in passage["mentions"] if m["feature"] in features]
        predicted = [p for p in found if keep(p)]
        spans = {(p.start, p.end): p for p in predicted}
        tally.gold += len(gold)
        tally.predicted += len(predicted)
        for mention in gold:
            hit = spans.get((mention["start"], mention["end"]))
            ok = hit is not None and (component == "districts" or mention["admin1"] in hit.codes)
            tally.right += ok
            tally.correct_predictions += ok
            if not ok:
                what = f"read as {hit.codes}" if hit else "missed"
                report.errors.append(f"{label}: {component[:-1]} {mention['text']!r} ({mention.get('admin1')}) {what}")
        gold_spans = {(m["start"], m["end"]) for m in gold}
        for phrase in predicted:
            if (phrase.start, phrase.end) not in gold_spans:
                report.errors.append(f"{label}: spurious {component[:-1]} {phrase.text!r} {phrase.codes}")


def _score_dates(passage: dict[str, Any], report: ComponentReport, label: str) -> None:
    lang, part = passage["lang"], passage["split"]
    tally = report.count("dates", lang, part)
    found = find_dates(passage["text"], lang, passage["published"])
    values = {d.text.lower(): d.date for d in found}
    listed = {d["text"].lower() for d in passage.get("dates", [])}
    tally.predicted += len(found)
    tally.unlisted += sum(d.text.lower() not in listed for d in found)
    for gold in passage.get("dates", []):
        if gold.get("optional"):
            continue
        tally.gold += 1
        ok = values.get(gold["text"].lower()) == gold["date"] or gold["date"] in values.values()
        tally.right += ok
        if not ok:
            report.errors.append(f"{label}: date {gold['text']!r} = {gold['date']}, found {values}")
    tally.correct_predictions += sum(d.text.lower() in listed and d.date in {g["date"] for g in passage["dates"]}
                                     for d in found)


def _score_figures_and_claimants(passage: dict[str, Any], report: ComponentReport, label: str) -> None:
    lang, part, text = passage["lang"], passage["split"], passage["text"]
    scan = scan_figures(text, lang)
    sentences = split_sentences(text)
    claims = find_claimants(text, sentences, lang)
    starts = [s.start for s in sentences]
    figures_tally = report.count("figures", lang, part)
    claimants_tally = report.count("claimants", lang, part)
    gold_claims = [c for c in passage.get("claims", []) if not c.get("optional")]
    listed = {(c["figure"], c["unit"]) for c in passage.get("claims", [])}
    figures_tally.predicted += len(scan.figures)
    figures_tally.correct_predictions += sum((f.value, f.unit) in listed for f in scan.figures)
    figures_tally.unlisted += sum((f.value, f.unit) not in listed for f in scan.figures)
    for claim in gold_claims:
        figures_tally.gold += 1
        claimants_tally.gold += 1
        same = [f for f in scan.figures if (f.value, f.unit) == (claim["figure"], claim["unit"])]
        figures_tally.right += bool(same)
        if not same:
            vague = [v.text for v in scan.vague]
            report.errors.append(f"{label}: figure {claim['figure']} {claim['unit']} not read"
                                 + (f" (vague: {vague})" if vague else ""))
            continue
        figure = same[0]
        claim_of = claims[max(0, bisect.bisect_right(starts, figure.start) - 1)]
        speaker = claimant_at(claim_of, figure.start)
        ok = claimant_matches(claim["claimant"], speaker.name if speaker else None, speaker.text if speaker else None)
        claimants_tally.predicted += 1
        claimants_tally.right += ok
        claimants_tally.correct_predictions += ok
        if not ok:
            report.errors.append(f"{label}: claimant of {claim['figure']} {claim['unit']} = {claim['claimant']!r}, "
                                 f"read {speaker.name if speaker else None!r}")


def _score_governments(passage: dict[str, Any], report: ComponentReport, label: str) -> None:
    lang, part, text = passage["lang"], passage["split"], passage["text"]
    tally = report.count("governments", lang, part)
    names = find_government_names(text, lang)
    expected = {"actor": "government", "event_location": "location"}
    for mention in passage["mentions"]:
        hits = [n for n in names if _overlaps(n, mention["start"], mention["end"])]
        if not hits and "metonymy" not in mention["classes"]:
            continue
        tally.gold += 1
        want = expected.get(mention["role"], "location")
        got = hits[0].reading if hits else None
        tally.predicted += bool(hits)
        tally.right += got == want
        tally.correct_predictions += got == want
        if got != want:
            report.errors.append(f"{label}: {mention['text']!r} ({mention['role']}) read as {got}")


def _score_non_places(passage: dict[str, Any], report: ComponentReport, label: str) -> None:
    lang, part, text = passage["lang"], passage["split"], passage["text"]
    tally = report.count("non_places", lang, part)
    flagged = find_non_places(text, lang)
    toponyms = [m for m in passage["mentions"] if m["feature"] not in ("demonym", "landmark")]
    tally.predicted += len(flagged)
    wrong = [f for f in flagged if any(_overlaps(m, f.start, f.end) for m in toponyms)]
    tally.correct_predictions += len(flagged) - len(wrong)
    for item in wrong:
        report.errors.append(f"{label}: place {item.text!r} flagged as {item.reason}")
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    for trap in passage.get("traps", []):
        tally.gold += 1
        hit = any(_overlaps(f, trap["start"], trap["end"]) for f in flagged)
        # a trap that is no word of its own ("Об" inside "Обʼєктивна") cannot be read as a place
        defused = not any(start == trap["start"] and end == trap["end"] for start, end in words)
        tally.right += hit or defused
        if not (hit or defused):
            report.errors.append(f"{label}: trap {trap['text']!r} {trap['classes']} not flagged")


def evaluate_components(passages: Iterable[dict[str, Any]]) -> ComponentReport:
    report = ComponentReport()
    for passage in passages:
        score_passage(passage, report)
    return report


def words_per_second(passages: list[dict[str, Any]], repeat: int = 5) -> dict[str, float]:
    """Throughput of each component (and of all together) on the texts, in words per second."""
    texts = [(p["text"], p["lang"], p["published"]) for p in passages if p["lang"] in ("uk", "ru")]
    words = sum(len(text.split()) for text, _, _ in texts) * repeat
    runs = {
        "language": lambda t, lang, pub: detect_language(t),
        "regions": lambda t, lang, pub: find_region_phrases(t, lang),
        "dates": lambda t, lang, pub: find_dates(t, lang, pub),
        "figures": lambda t, lang, pub: scan_figures(t, lang),
        "claimants": lambda t, lang, pub: find_claimants(t, split_sentences(t), lang),
        "governments": lambda t, lang, pub: find_government_names(t, lang),
        "non_places": lambda t, lang, pub: find_non_places(t, lang),
    }
    firsts = {lang: (text, lang, published) for text, lang, published in reversed(texts)}
    for run in runs.values():  # load the tables first: first use reads data files, per language
        for text, lang, published in firsts.values():
            run(text, lang, published)
    out: dict[str, float] = {}
    total = 0.0
    for name, run in runs.items():
        started = time.perf_counter()
        for _ in range(repeat):
            for text, lang, published in texts:
                run(text, lang, published)
        seconds = time.perf_counter() - started
        total += seconds
        out[name] = words / seconds if seconds else float("inf")
    out["all"] = words / total if total else float("inf")
    return out


def format_report(report: ComponentReport, parts: Iterable[str] = ("dev", "holdout")) -> str:
    lines = [f"{'component':<13}{'set':<12}{'right':>7}{'gold':>6}{'recall':>8}{'found':>7}{'prec.':>7}"
             f"{'unlisted':>10}"]
    for component in COMPONENTS:
        langs = ("uk", "ru", "en") if component == "language" else ("uk", "ru")
        for lang in langs:
            for part in parts:
                c = report.total(component, lang, part)
                if not c.gold and not c.predicted:
                    continue
                lines.append(f"{component:<13}{lang + ' ' + part:<12}{c.right:>7}{c.gold:>6}{c.recall:>8.3f}"
                             f"{c.predicted:>7}{c.precision:>7.3f}{c.unlisted or '':>10}")
    lines.append("recall: gold items read right / gold items; prec.: predictions that match the gold / predictions "
                 "(dates, figures: 'unlisted' ones the gold omits are not judged); claimants are scored on the "
                 "gold claims whose figure was read; non-places: traps flagged (or no word of their own), "
                 "prec. = flags that are no gold toponym")
    return "\n".join(lines)
