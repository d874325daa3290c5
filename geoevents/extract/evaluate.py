"""Score extraction against gold annotations: toponym P/R/F1, resolution accuracy, roles.

Kept in the package (not only in tests) so the benchmark and the test suite
measure the same thing the same way, and users can score their own corpora.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOPONYM_FEATURES = {"place", "admin1", "country"}
RESOLUTION_KM = 10.0


@dataclass
class Scores:
    """Counts and derived rates of one evaluation run."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    resolved_ok: int = 0
    resolved_total: int = 0
    role_ok: int = 0
    role_total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def resolution(self) -> float:
        return self.resolved_ok / self.resolved_total if self.resolved_total else 0.0

    @property
    def role_accuracy(self) -> float:
        return self.role_ok / self.role_total if self.role_total else 0.0

    def summary(self) -> dict[str, float]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "resolution": round(self.resolution, 3), "role_accuracy": round(self.role_accuracy, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Passages with gold mentions (the gold.json written by tests/data/corpus/fill_gold.py)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["passages"]


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic km on WGS84 (pyproj.Geod)."""
    from geoevents.extract.resolve import geodesic_km as km

    return km(lat1, lon1, lat2, lon2)


def is_toponym(gold: dict[str, Any]) -> bool:
    return gold["feature"] in TOPONYM_FEATURES


def resolved_right(gold: dict[str, Any], predicted: dict[str, Any]) -> bool:
    """Within 10 km and in the right admin-1 (regions: right code; countries: right country)."""
    if gold["feature"] == "country":
        return predicted.get("country_code") == gold["country"]
    if gold["feature"] == "admin1":
        return predicted.get("admin1_code") == gold["admin1"]
    if predicted.get("latitude") is None or predicted.get("admin1_code") != gold.get("admin1"):
        return False
    if gold.get("latitude") is None:  # a village GeoNames lacks: the right region is all we can check
        return True
    return geodesic_km(gold["latitude"], gold["longitude"], predicted["latitude"],
                        predicted["longitude"]) <= RESOLUTION_KM


def score_passage(gold_mentions: Iterable[dict[str, Any]], predicted: Iterable[dict[str, Any]],
                  scores: Scores, label: str = "") -> None:
    """Match predicted toponyms to gold ones by overlapping span (one to one)."""
    gold = [g for g in gold_mentions if is_toponym(g)]
    pred = [p for p in predicted if p.get("kind") not in ("demonym", "landmark")]
    used: set[int] = set()
    for g in gold:
        match = next((i for i, p in enumerate(pred) if i not in used
                      and p["start"] < g["end"] and g["start"] < p["end"]), None)
        if match is None:
            scores.fn += 1
            scores.errors.append(f"{label}: missed {g['text']!r} at {g['start']}")
            continue
        used.add(match)
        scores.tp += 1
        p = pred[match]
        scores.resolved_total += 1
        if resolved_right(g, p):
            scores.resolved_ok += 1
        else:
            scores.errors.append(f"{label}: {g['text']!r} resolved to {p.get('name')} "
                                 f"{p.get('admin1_code') or p.get('country_code')}, gold {g.get('admin1') or g['country']}")
        scores.role_total += 1
        if p.get("role") == g["role"]:
            scores.role_ok += 1
        else:
            scores.errors.append(f"{label}: {g['text']!r} role {p.get('role')}, gold {g['role']}")
    for i, p in enumerate(pred):
        if i not in used:
            scores.fp += 1
            scores.errors.append(f"{label}: spurious {p['text']!r} at {p['start']} -> {p.get('name')}")


def evaluate(passages: list[dict[str, Any]], run: Callable[[dict[str, Any]], list[dict[str, Any]]]) -> Scores:
    """Score `run(passage) -> predicted mention dicts` on every passage."""
    scores = Scores()
    for passage in passages:
        score_passage(passage["mentions"], run(passage), scores, passage["id"])
    return scores
