"""Score geoparsing against the frozen evaluation sets (tests/data/geoparse/gold.json).

The measures are the ones geoparsing research reports, so numbers here can be set beside
published systems: recognition precision / recall / F1 (exact span and lenient overlap),
accuracy within 161 km (100 miles) of the toponyms recognised, and end-to-end (found and
placed within 161 km, over all gold toponyms). Areas (countries, states, seas, regions) are
scored against a representative point, and also by "inside the area's bounding box", since a
point for Russia or the Atlantic is a convention. Added for war reporting: right admin-1
region, and how many government names (Kremlin, "Washington warned", Москва) came out as
event locations. Every number is reported per language, per part (dev / held-out) and per
error class, so a change shows where it helped and where it hurt.

Kept in the package beside evaluate.py (which scores the smaller corpus with its 10 km rule)
so the bench script, the tests and users score the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoevents.extract.evaluate import geodesic_km

ACCURACY_KM = 161.0
TOPONYM_FEATURES = frozenset({"place", "admin1", "admin2", "country", "continent", "sea", "water", "region"})
NEUTRAL_FEATURES = frozenset({"demonym", "landmark"})  # scored for roles only, never as toponyms
PREDICTED_NON_TOPONYMS = frozenset({"demonym", "landmark"})
PARTS = ("dev", "holdout")


@dataclass
class Tally:
    """Counts for one slice (a language and part, or an error class); rates derive from them."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    lenient: int = 0
    placed: int = 0
    placed_or_inside: int = 0
    with_admin1: int = 0
    admin1_right: int = 0
    country_right: int = 0
    role_right: int = 0
    traps: int = 0
    trap_hits: int = 0
    government: int = 0
    government_as_event: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _rate(num: int, den: int) -> float:
        return num / den if den else 0.0

    def precision(self, lenient: bool = False) -> float:
        return self._rate(self.lenient if lenient else self.exact, self.predicted)

    def recall(self, lenient: bool = False) -> float:
        return self._rate(self.lenient if lenient else self.exact, self.gold)

    def f1(self, lenient: bool = False) -> float:
        p, r = self.precision(lenient), self.recall(lenient)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy_161(self) -> float:
        """Share of recognised toponyms (lenient) placed within 161 km of the gold point."""
        return self._rate(self.placed, self.lenient)

    @property
    def accuracy_161_or_bbox(self) -> float:
        """As accuracy_161, an area also counting when the point falls inside its bbox."""
        return self._rate(self.placed_or_inside, self.lenient)

    @property
    def end_to_end(self) -> float:
        """Found and placed within 161 km, over all gold toponyms."""
        return self._rate(self.placed, self.gold)

    @property
    def admin1_accuracy(self) -> float:
        return self._rate(self.admin1_right, self.with_admin1)

    @property
    def country_accuracy(self) -> float:
        return self._rate(self.country_right, self.lenient)

    @property
    def role_accuracy(self) -> float:
        return self._rate(self.role_right, self.lenient)

    def summary(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "gold": self.gold, "predicted": self.predicted,
            "p": self.precision(), "r": self.recall(), "f1": self.f1(),
            "p_lenient": self.precision(True), "r_lenient": self.recall(True), "f1_lenient": self.f1(True),
            "acc161": self.accuracy_161, "acc161_bbox": self.accuracy_161_or_bbox,
            "end_to_end": self.end_to_end, "admin1": self.admin1_accuracy, "country": self.country_accuracy,
            "roles": self.role_accuracy, "traps": self.traps, "trap_hits": self.trap_hits,
            "government": self.government, "government_as_event": self.government_as_event}
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


@dataclass
class Report:
    """Tallies per (language, part) and per (language, error class); misses for reading."""

    parts: dict[tuple[str, str], Tally] = field(default_factory=dict)
    classes: dict[tuple[str, str], Tally] = field(default_factory=dict)
    other: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def slice(self, lang: str | None = None, part: str | None = None) -> Tally:
        """The sum over the languages and parts asked for (None = all)."""
        total = Tally()
        for (tally_lang, tally_part), tally in self.parts.items():
            if (lang is None or tally_lang == lang) and (part is None or tally_part == part):
                total.add(tally)
        return total

    def by_class(self, lang: str | None = None) -> dict[str, Tally]:
        out: dict[str, Tally] = {}
        for (tally_lang, name), tally in sorted(self.classes.items(), key=lambda item: item[0][1]):
            if lang is None or tally_lang == lang:
                out.setdefault(name, Tally()).add(tally)
        return out


def load(path: Path) -> list[dict[str, Any]]:
    """The passages of a gold file written by tests/data/geoparse/build_gold.py."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["passages"]


def inside(bbox: list[float], lat: float, lon: float) -> bool:
    """Point in [W, S, E, N]; W > E means the box crosses the antimeridian."""
    west, south, east, north = bbox
    if not south <= lat <= north:
        return False
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _pair(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], exact: bool) -> dict[int, int]:
    """One-to-one gold index -> predicted index, by equal spans or (lenient) overlap, in text order."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if pi in used:
                continue
            if (p["start"], p["end"]) == (g["start"], g["end"]) if exact else _overlaps(p, g):
                pairs[gi] = pi
                used.add(pi)
                break
    return pairs


def _placement(gold: dict[str, Any], pred: dict[str, Any]) -> tuple[float | None, bool]:
    """(km from the gold point, inside the gold bbox) of a predicted mention."""
    lat, lon = pred.get("latitude"), pred.get("longitude")
    if lat is None or lon is None or gold.get("latitude") is None:
        return None, False
    km = geodesic_km(gold["latitude"], gold["longitude"], lat, lon)
    return km, bool(gold.get("bbox")) and inside(gold["bbox"], lat, lon)


def score_passage(passage: dict[str, Any], predicted: list[dict[str, Any]], report: Report) -> None:
    """Add one passage's outcomes to `report` (its language and part, and each error class)."""
    lang, part, pid = passage.get("lang", "en"), passage.get("split", "dev"), passage["id"]
    tally = report.parts.setdefault((lang, part), Tally())
    gold = [g for g in passage["mentions"] if g["feature"] in TOPONYM_FEATURES]
    neutral = [g for g in passage["mentions"] if g["feature"] in NEUTRAL_FEATURES]
    preds = [p for p in predicted if p.get("kind") not in PREDICTED_NON_TOPONYMS]
    # a predicted toponym on a gold demonym or landmark span is neither right nor wrong here
    preds = [p for p in preds if not any(_overlaps(p, g) for g in neutral)
             or any(_overlaps(p, g) for g in gold)]
    exact, lenient = _pair(gold, preds, True), _pair(gold, preds, False)
    tally.gold += len(gold)
    tally.predicted += len(preds)
    for gi, g in enumerate(gold):
        one = Tally(gold=1)
        if gi in exact:
            one.exact = 1
        if gi in lenient:
            p = preds[lenient[gi]]
            one.lenient = 1
            km, within_box = _placement(g, p)
            one.placed = int(km is not None and km <= ACCURACY_KM)
            one.placed_or_inside = int(one.placed or (g["feature"] != "place" and within_box))
            one.country_right = int(p.get("country_code") == g.get("country"))
            if g.get("admin1"):
                one.with_admin1 = 1
                one.admin1_right = int(p.get("admin1_code") == g["admin1"])
            one.role_right = int(p.get("role") == g["role"])
            if not one.placed:
                where = f"{km:,.0f} km off" if km is not None else "no coordinates"
                report.errors.append(f"{lang}/{part} {pid}: {g['text']!r} -> {p.get('name')} "
                                     f"({p.get('admin1_code') or p.get('country_code')}), {where} "
                                     f"[{','.join(g['classes'])}]")
        else:
            report.errors.append(f"{lang}/{part} {pid}: missed {g['text']!r} at {g['start']} "
                                 f"[{','.join(g['classes'])}]")
        tally.add(Tally(**{k: v for k, v in one.__dict__.items() if k not in ("gold",)}))
        for name in g["classes"]:
            report.classes.setdefault((lang, name), Tally()).add(one)
    paired = set(lenient.values())
    for pi, p in enumerate(preds):
        if pi not in paired:
            report.errors.append(f"{lang}/{part} {pid}: spurious {p['text']!r} at {p['start']} -> {p.get('name')}")
    for trap in passage.get("traps", []):
        hit = any(_overlaps(p, trap) for p in preds)
        tally.traps += 1
        tally.trap_hits += hit
        for name in trap["classes"]:
            cls = report.classes.setdefault((lang, name), Tally())
            cls.traps += 1
            cls.trap_hits += hit
    for g in passage["mentions"]:
        if "metonymy" not in g["classes"]:
            continue
        as_event = any(_overlaps(p, g) and p.get("role") == "event_location" for p in predicted)
        tally.government += 1
        tally.government_as_event += as_event
        if as_event:
            report.errors.append(f"{lang}/{part} {pid}: government name {g['text']!r} read as an event location")


def _claimant_matches(gold: str | None, predicted: str | None, source: str | None) -> bool:
    if gold is None:
        return predicted == source
    if not predicted:
        return False
    return gold.lower() in predicted.lower() or predicted.lower() in gold.lower()


def score_claims_and_dates(passage: dict[str, Any], events: list[dict[str, Any]],
                           dates: list[tuple[str, str | None]], source: str | None, report: Report) -> None:
    """Dates (phrase found with the gold value), figures (value + unit) and their claimants."""
    lang, part = passage.get("lang", "en"), passage.get("split", "dev")
    label = f"{lang}/{part} {passage['id']}"
    counts = report.other.setdefault((lang, part),
                                     {"dates": 0, "dates_right": 0, "figures": 0, "figures_right": 0,
                                      "claimants_right": 0})
    found = {text.lower(): value for text, value in dates}
    for gold in passage.get("dates", []):
        if gold.get("optional"):
            continue
        counts["dates"] += 1
        ok = found.get(gold["text"].lower()) == gold["date"] or gold["date"] in found.values()
        counts["dates_right"] += ok
        if not ok:
            report.errors.append(f"{label}: date {gold['text']!r} = {gold['date']}, found {found}")
    for claim in passage.get("claims", []):
        if claim.get("optional"):
            continue
        counts["figures"] += 1
        same = [e for e in events if e.get("figure") == claim["figure"] and e.get("figure_unit") == claim["unit"]]
        counts["figures_right"] += bool(same)
        right = any(_claimant_matches(claim["claimant"], e.get("claimant"), source) for e in same)
        counts["claimants_right"] += right
        if not right:
            report.errors.append(f"{label}: figure {claim['figure']} {claim['unit']} "
                                 f"by {claim['claimant']!r} not drafted")


Runner = Callable[[dict[str, Any]], Any]


def run_extract(passage: dict[str, Any], source: str = "Test Wire") -> Any:
    """Today's `extract` on one passage (the default runner)."""
    from geoevents.extract.pipeline import extract

    return extract(passage["text"], published=passage["published"], source=source)


def evaluate(passages: Iterable[dict[str, Any]], run: Runner = run_extract, source: str = "Test Wire") -> Report:
    """Score `run(passage)` (an Extraction, or a list of mention dicts) on every passage."""
    report = Report()
    for passage in passages:
        result = run(passage)
        mentions = result if isinstance(result, list) else result.mention_dicts()
        score_passage(passage, mentions, report)
        if not isinstance(result, list):
            dates = [(d.text, d.date) for d in result.dates]
            score_claims_and_dates(passage, result.events, dates, source, report)
    return report


LANG_NAMES = {"en": "English", "uk": "Ukrainian", "ru": "Russian"}


def format_table(report: Report, classes: bool = True) -> str:
    """The plain-text tables the bench script prints and docs/extract.md records."""
    lines = [f"{'set':<18}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}{'F1~':>7}{'acc161':>8}{'+bbox':>7}"
             f"{'e2e':>7}{'adm1':>7}{'roles':>7}{'traps':>7}{'gov':>6}"]
    langs = sorted({lang for lang, _ in report.parts}, key=list(LANG_NAMES).index)
    for lang in langs:
        for part in (*PARTS, None):
            t = report.slice(lang, part)
            if not t.gold:
                continue
            label = f"{lang} {part or 'all'}"
            lines.append(f"{label:<18}{t.gold:>6}{t.precision():>7.3f}{t.recall():>7.3f}{t.f1():>7.3f}"
                         f"{t.f1(True):>7.3f}{t.accuracy_161:>8.3f}{t.accuracy_161_or_bbox:>7.3f}"
                         f"{t.end_to_end:>7.3f}{t.admin1_accuracy:>7.3f}{t.role_accuracy:>7.3f}"
                         f"{t.trap_hits:>3}/{t.traps:<3}{t.government_as_event:>2}/{t.government:<3}")
    lines.append("P/R/F1: exact spans; F1~: overlapping spans; acc161: recognised toponyms within 161 km; "
                 "+bbox: or inside the area's bbox; e2e: placed within 161 km / all gold; adm1: right admin-1 "
                 "(recognised, gold has one); traps: common words read as places; gov: government names read "
                 "as event locations")
    other = [(key, value) for key, value in sorted(report.other.items()) if value["dates"] or value["figures"]]
    if other:
        lines.append("")
        lines.append(f"{'set':<18}{'dates':>12}{'figures':>12}{'claimants':>12}")
        for (lang, part), c in other:
            lines.append(f"{lang + ' ' + part:<18}{c['dates_right']:>6}/{c['dates']:<5}"
                         f"{c['figures_right']:>6}/{c['figures']:<5}{c['claimants_right']:>6}/{c['figures']:<5}")
    if classes:
        for lang in langs:
            lines.append("")
            lines.append(f"{LANG_NAMES.get(lang, lang)} by error class (dev + held-out)")
            lines.append(f"{'class':<16}{'gold':>6}{'found~':>8}{'acc161':>8}{'e2e':>7}{'adm1':>7}{'traps hit':>11}")
            for name, t in report.by_class(lang).items():
                if t.gold:
                    admin1 = f"{t.admin1_accuracy:>7.3f}" if t.with_admin1 else f"{'-':>7}"
                    lines.append(f"{name:<16}{t.gold:>6}{t.recall(True):>8.3f}{t.accuracy_161:>8.3f}"
                                 f"{t.end_to_end:>7.3f}{admin1}")
                else:
                    lines.append(f"{name:<16}{'':>6}{'':>8}{'':>8}{'':>7}{'':>7}{t.trap_hits:>6}/{t.traps:<4}")
    return "\n".join(lines)
