"""Scores of `extract` runs against gold passages beyond toponyms (which
geoevents.extract.evaluate scores): demonyms, claimed figures and dates. Shared by the
corpus tests and the held-out tests so both count the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SOURCE = "Test Wire"  # the outlet passed to extract: claims with no claimant of their own


@dataclass
class Count:
    right: int = 0
    total: int = 0
    misses: list[Any] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, ok: bool, miss: Any) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)


def demonyms(passages: list[dict], runs: dict) -> Count:
    """A demonym is right when found at its span as a demonym of its country, never as
    the place where something happened."""
    count = Count()
    for passage in passages:
        predicted = {(m["start"], m["end"]): m for m in runs[passage["id"]].mention_dicts()}
        for gold in passage["mentions"]:
            if gold["feature"] != "demonym":
                continue
            found = predicted.get((gold["start"], gold["end"]))
            ok = bool(found and found["kind"] == "demonym" and found["country_code"] == gold["country"]
                      and found["role"] != "event_location")
            count.add(ok, (passage["id"], gold["text"], found and (found["kind"], found["role"])))
    return count


def claimant_matches(gold: str | None, predicted: str) -> bool:
    if gold is None:
        return predicted == SOURCE
    return gold.lower() in predicted.lower() or predicted.lower() in gold.lower()


def claims(passages: list[dict], runs: dict) -> Count:
    """A claim is right when some drafted event has its figure, unit and claimant."""
    count = Count()
    for passage in passages:
        events = runs[passage["id"]].events
        for claim in passage.get("claims", []):
            if claim.get("optional"):
                continue
            ok = any(e.get("figure") == claim["figure"] and e.get("figure_unit") == claim["unit"]
                     and claimant_matches(claim["claimant"], e["claimant"]) for e in events)
            count.add(ok, (passage["id"], claim, [(e.get("figure"), e.get("figure_unit"), e["claimant"])
                                                  for e in events]))
    return count


def gold_date_span(passage: dict, gold: dict) -> tuple[int, int]:
    start = passage["text"].lower().find(gold["text"].lower())
    assert start >= 0, (passage["id"], gold["text"])
    return start, start + len(gold["text"])


def dates(passages: list[dict], runs: dict) -> Count:
    """A gold date counts only when the phrase found AT that place in the text resolves to
    it (not when the same date turns up anywhere else in the passage)."""
    count = Count()
    for passage in passages:
        for gold in passage.get("dates", []):
            start, end = gold_date_span(passage, gold)
            at_phrase = [d for d in runs[passage["id"]].dates if d.start < end and start < d.end]
            count.add([d.date for d in at_phrase] == [str(gold["date"])],
                      (passage["id"], gold, [(d.text, d.date) for d in at_phrase]))
    return count
