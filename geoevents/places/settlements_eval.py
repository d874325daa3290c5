"""Score a gazetteer on the frozen front-line settlements set (issue 11).

The set lives in tests/data/settlements: truth.csv (one row per settlement: KATOTTG code or
Russian registry row, oblast, raion, hromada, point and its source), queries.csv (several query
forms per settlement, each with the hints a journalist would give) and split.yaml (the held-out
settlements). `evaluate` runs any `lookup(query, country=..., within=...)` that returns the
gazetteer's result dict and tallies, per country and part (dev / holdout) and per query kind and
hint: right oblast, within 5/10/25 km, right settlement, unresolved, wrong namesake, and whether
an estimated point's `uncertainty_km` holds the truth.

The scorer only reads what a result carries. Fields the integration adds later (`precision`,
`uncertainty_km`, `raion`, `hromada`, a KATOTTG code, a registry id or OKTMO) are used and
recorded when present and ignored when absent, so the same scorer measures today and tomorrow.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RIGHT_SETTLEMENT_KM = 2.0     # without a code, a result this close to the truth is the settlement,
SAME_NAME_KM = 5.0            # and one of the same name this close (town centres differ between sources)
SECOND_SPELLING_KINDS = frozenset({"popular_latin", "uk", "ru"})
EXTRA_FIELDS = ("precision", "uncertainty_km", "method", "raion", "raion_code", "hromada", "hromada_code",
                "katottg", "katottg_code", "code", "settlement_code", "registry_id", "sme_id", "oktmo")
_KATOTTG = re.compile(r"UA\d{17}")
_DISTRICT_WORDS = re.compile(r"\b(district|raion|rayon|район|hromada|громада|municipal|okrug|округ)\b",
                             re.IGNORECASE)

Lookup = Callable[..., dict[str, Any]]


def load(folder: Path) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """(truth by settlement id, query rows each with its settlement's `split`) from a set folder."""
    import yaml

    with open(folder / "truth.csv", encoding="utf-8", newline="") as handle:
        truth = {row["id"]: row for row in csv.DictReader(handle)}
    split = yaml.safe_load((folder / "split.yaml").read_text(encoding="utf-8"))
    held = set(split["holdout"])
    with open(folder / "queries.csv", encoding="utf-8", newline="") as handle:
        queries = list(csv.DictReader(handle))
    for row in queries:
        row["split"] = "holdout" if row["settlement"] in held else "dev"
    return truth, queries


@functools.cache
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the WGS84 ellipsoid in km (the project's convention)."""
    return _geod().inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def result_codes(result: dict[str, Any]) -> dict[str, str]:
    """The settlement identifiers a result carries: katottg, registry id, OKTMO (whatever is present)."""
    codes: dict[str, str] = {}
    for name in ("katottg", "katottg_code", "code", "settlement_code", "id"):
        value = result.get(name)
        if isinstance(value, str) and _KATOTTG.fullmatch(value):
            codes["katottg"] = value
            break
    for name in ("registry_id", "sme_id"):
        if result.get(name) not in (None, ""):
            codes["registry_id"] = str(result[name])
            break
    if result.get("oktmo") not in (None, ""):
        codes["oktmo"] = str(result["oktmo"])
    return codes


def _unit_keys(text: str) -> set[str]:
    """Loose keys of a raion/hromada name without 'district'-like words (Покровський ~ Pokrovsk district)."""
    from geoevents.text.normalize import adjective_root, loose_key, name_keys

    keys = set()
    for key in name_keys(_DISTRICT_WORDS.sub(" ", text)):
        root = adjective_root(key) or key
        keys.add(loose_key(root)[:6])
    return keys


def same_unit(truth_name: str, truth_code: str, got: Any) -> bool | None:
    """Does a result's raion/hromada (a code or a name in any script) name the truth's? None if unknown."""
    if got in (None, "") or not truth_name:
        return None
    got = str(got)
    if _KATOTTG.fullmatch(got):
        return got == truth_code
    return bool(_unit_keys(truth_name) & _unit_keys(got))


def loose_name_keys(texts: Iterable[str]) -> set[str]:
    """Loose keys of names in any script: how `judge` tells a namesake from another place."""
    from geoevents.text.normalize import loose_key, name_keys

    return {loose_key(key) for text in texts if text for key in name_keys(text)}


@dataclass
class Outcome:
    """What one query gave, judged against its settlement."""

    resolved: bool
    right_oblast: bool
    distance_km: float | None
    right_settlement: bool | None   # None: cannot be decided (no code in the result and no truth point)
    verdict: str                    # right | wrong_namesake | wrong_other | undecided | unresolved
    right_raion: bool | None = None
    right_hromada: bool | None = None
    estimated: bool = False
    radius_holds: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def is_estimate(result: dict[str, Any]) -> bool:
    """A point the result itself says is estimated, with a radius."""
    precision = str(result.get("precision") or "")
    return bool(precision) and precision != "exact" and result.get("uncertainty_km") not in (None, "")


def judge(truth: dict[str, str], result: dict[str, Any], names: set[str]) -> Outcome:
    """Judge one result; `names` are the loose keys of the settlement's own names (namesake test)."""
    extra = {name: result[name] for name in EXTRA_FIELDS if result.get(name) not in (None, "")}
    resolved = result.get("error") is None and result.get("latitude") is not None
    if not resolved:
        return Outcome(False, False, None, False, "unresolved", extra=extra)
    right_oblast = result.get("admin1_code") == truth["admin1"]
    distance = None
    if truth["latitude"]:
        distance = geodesic_km(float(truth["latitude"]), float(truth["longitude"]),
                               float(result["latitude"]), float(result["longitude"]))
    codes = result_codes(result)
    same_name = bool(loose_name_keys([result.get("name") or ""]) & names)
    if not right_oblast or result.get("feature", "place") != "place":
        right = False
    elif truth["katottg"] and "katottg" in codes:
        right = codes["katottg"] == truth["katottg"]
    elif truth["registry_id"] and "registry_id" in codes:
        right = codes["registry_id"] == truth["registry_id"]
    elif truth["oktmo"] and "oktmo" in codes:
        right = codes["oktmo"] == truth["oktmo"]
    elif distance is not None:
        limit = SAME_NAME_KM if same_name else RIGHT_SETTLEMENT_KM
        if same_name and is_estimate(result):   # an estimated point of the right name: its own radius counts
            limit = max(limit, float(result["uncertainty_km"]))
        right = distance <= limit
    else:
        right = None if same_name else False   # no point: a place of another name is another place
    if right:
        verdict = "right"
    elif right is None:
        verdict = "undecided"
    else:
        verdict = "wrong_namesake" if same_name else "wrong_other"
    estimated = is_estimate(result)
    holds = None
    if estimated and distance is not None and right is not False:
        holds = distance <= float(result["uncertainty_km"])
    return Outcome(True, right_oblast, distance, right, verdict,
                   right_raion=same_unit(truth["raion"], truth["raion_code"], result.get("raion_code") or result.get("raion")),
                   right_hromada=same_unit(truth["hromada"], truth["hromada_code"],
                                           result.get("hromada_code") or result.get("hromada")),
                   estimated=estimated, radius_holds=holds, extra=extra)


@dataclass
class Tally:
    """Counts over a group of query rows (a Counter by name); `summary` turns them into shares."""

    counts: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return self.counts["rows"]

    def add(self, outcome: Outcome, kind: str, has_point: bool) -> None:
        count = self.counts
        count["rows"] += 1
        count["resolved"] += outcome.resolved
        count["right_oblast"] += outcome.right_oblast
        if kind in SECOND_SPELLING_KINDS:
            count["second"] += 1
            count["second_right_oblast"] += outcome.right_oblast
        if has_point:
            count["with_point"] += 1
            if outcome.distance_km is not None:
                for km in (5, 10, 25):
                    count[f"within{km}"] += outcome.distance_km <= km
        if outcome.right_settlement is not None:
            count["decided"] += 1
            count["right_settlement"] += outcome.right_settlement
        count[outcome.verdict] += 1
        for name, value in (("raion", outcome.right_raion), ("radius", outcome.radius_holds)):
            if value is not None:
                count[f"{name}_checked"] += 1
                count[f"{name}_right"] += value
        count["estimated"] += outcome.estimated

    def summary(self) -> dict[str, float | int | None]:
        count = self.counts

        def share(part: str, whole: str) -> float | None:
            return round(count[part] / count[whole], 3) if count[whole] else None

        return {
            "rows": count["rows"],
            "right_oblast": share("right_oblast", "rows"),
            "second_spelling_right_oblast": share("second_right_oblast", "second"),
            "within5": share("within5", "with_point"),
            "within10": share("within10", "with_point"),
            "within25": share("within25", "with_point"),
            "right_settlement": share("right_settlement", "decided"),
            "unresolved": share("unresolved", "rows"),
            "wrong_namesake": share("wrong_namesake", "rows"),
            "wrong_other": share("wrong_other", "rows"),
            "right_raion": share("raion_right", "raion_checked"),
            "radius_holds": share("radius_right", "radius_checked"),
            "rows_with_point": count["with_point"],
            "rows_decided": count["decided"],
            "estimated": count["estimated"],
            "radius_checked": count["radius_checked"],
        }


@dataclass
class Report:
    """Tallies by (country, part) and by (country, part, kind / hint / size class); per-row details."""

    parts: dict[tuple[str, str], Tally] = field(default_factory=dict)
    kinds: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    hints: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    sizes: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    fields_seen: set[str] = field(default_factory=set)

    def tally(self, table: dict, key: tuple) -> Tally:
        if key not in table:
            table[key] = Tally()
        return table[key]


def size_class(place: dict[str, str]) -> str:
    """town / village, and whether GeoNames cities500 has the place: where the gazetteer's data stops."""
    town = place["category"] in ("M", "K", "X", "г", "пгт")
    listed = place["coord_source"] == "geonames-cities500" or bool(place["geonames_id"])
    return f"{'town' if town else 'village'}{'' if listed else '-not-in-cities500'}"


def evaluate(lookup: Lookup, truth: dict[str, dict[str, str]], queries: list[dict[str, str]]) -> Report:
    """Run `lookup` on every query row and tally the outcomes (see the module docstring)."""
    own_names: dict[str, set[str]] = {}
    for row in queries:
        if row["kind"] in ("case_form", "old_name"):
            continue
        own_names.setdefault(row["settlement"], set()).add(row["query"])
    report = Report()
    for row in queries:
        place = truth[row["settlement"]]
        names = own_names.get(row["settlement"], set()) | {place["name"], place["name_latin"]}
        keys = loose_name_keys(names)
        result = lookup(row["query"], country=row["country"] or None, within=row["within"] or None)
        outcome = judge(place, result, keys)
        report.fields_seen |= set(outcome.extra)
        has_point = bool(place["latitude"])
        country, part = place["country"], row["split"]
        for table, key in ((report.parts, (country, part)), (report.parts, (country, "all")),
                           (report.kinds, (country, part, row["kind"])), (report.hints, (country, part, row["hint"])),
                           (report.sizes, (country, part, size_class(place)))):
            report.tally(table, key).add(outcome, row["kind"], has_point)
        report.rows.append({
            "settlement": row["settlement"], "split": part, "country": country, "query": row["query"],
            "kind": row["kind"], "within": row["within"], "country_hint": row["country"], "hint": row["hint"],
            "verdict": outcome.verdict, "right_oblast": outcome.right_oblast,
            "distance_km": None if outcome.distance_km is None else round(outcome.distance_km, 2),
            "truth": f"{place['name']} ({place['admin1']}, {place['raion']})",
            "got": None if not outcome.resolved else f"{result.get('name')} ({result.get('admin1_code')})",
            "error": result.get("error"), **outcome.extra,
        })
    return report


HEADLINE = (("right_oblast", "oblast"), ("second_spelling_right_oblast", "2nd sp."), ("within5", "5 km"),
            ("within10", "10 km"), ("within25", "25 km"), ("right_settlement", "settl."),
            ("unresolved", "unres."), ("wrong_namesake", "namesk."), ("wrong_other", "other"),
            ("right_raion", "raion"), ("radius_holds", "radius"))


def _line(label: str, summary: dict) -> str:
    cells = []
    for name, _ in HEADLINE:
        value = summary[name]
        cells.append(f"{'-' if value is None else f'{100 * value:.0f}%':>8}")
    return f"{label:<36}{summary['rows']:>6}" + "".join(cells)


def format_table(report: Report) -> str:
    """Plain-text tables: by country and part, then by query kind and by hint."""
    head = f"{'':<36}{'rows':>6}" + "".join(f"{title:>8}" for _, title in HEADLINE)
    out = [head]
    for key in sorted(report.parts):
        out.append(_line(f"{key[0]} {key[1]}", report.parts[key].summary()))
    for title, table in (("by query kind", report.kinds), ("by hint", report.hints),
                         ("by settlement class (town = city or urban-type; not-in-cities500 = no GeoNames point)", report.sizes)):
        out += ["", f"{title}:", head]
        for key in sorted(table):
            out.append(_line(" ".join(key), table[key].summary()))
    if report.fields_seen:
        out += ["", "result fields seen: " + ", ".join(sorted(report.fields_seen))]
    return "\n".join(out)


def gazetteer_lookup() -> Lookup:
    """The default offline gazetteer's lookup (imported late: the index loads on first use)."""
    from geoevents.places.gazetteer import Gazetteer

    return Gazetteer.default().lookup

