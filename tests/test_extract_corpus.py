"""Accuracy of `extract` on our own annotated corpus (tests/data/corpus)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from geoevents.extract.evaluate import evaluate, load_gold, resolved_right
from geoevents.extract.pipeline import extract

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def passages() -> list[dict]:
    return load_gold(CORPUS / "gold.json")


@pytest.fixture(scope="module")
def runs(passages) -> dict[str, object]:
    return {p["id"]: extract(p["text"], published=p["published"], source="Test Wire") for p in passages}


def test_gold_is_consistent_with_the_passages(passages) -> None:
    source = yaml.safe_load((CORPUS / "passages.yaml").read_text(encoding="utf-8"))["passages"]
    assert len(passages) >= 30
    assert [p["id"] for p in passages] == [p["id"] for p in source]
    for passage, written in zip(passages, source):
        assert passage["text"] == written["text"]
        for mention in passage["mentions"]:
            assert passage["text"][mention["start"]:mention["end"]] == mention["text"], passage["id"]
            assert mention["role"] in ("event_location", "dateline", "actor", "other")
            if mention["feature"] == "place" and "geonames_name" in mention:
                assert mention["latitude"] is not None, (passage["id"], mention["text"])


def test_toponym_f1_and_resolution_meet_targets(passages, runs) -> None:
    scores = evaluate(passages, lambda p: runs[p["id"]].mention_dicts())
    detail = "\n".join(scores.errors)
    assert scores.f1 >= 0.90, detail
    assert scores.resolution >= 0.90, detail
    assert scores.role_accuracy >= 0.85, detail


def test_resolution_check_is_strict() -> None:
    gold = {"feature": "place", "admin1": "UA-14", "country": "UA", "latitude": 48.28, "longitude": 37.18}
    assert resolved_right(gold, {"admin1_code": "UA-14", "latitude": 48.30, "longitude": 37.20})
    assert not resolved_right(gold, {"admin1_code": "UA-14", "latitude": 48.50, "longitude": 37.20})  # ~24 km
    assert not resolved_right(gold, {"admin1_code": "RU-KRS", "latitude": 48.28, "longitude": 37.18})


def test_demonyms_stand_for_countries(passages, runs) -> None:
    total = right = 0
    for passage in passages:
        predicted = {(m["start"], m["end"]): m for m in runs[passage["id"]].mention_dicts()}
        for gold in passage["mentions"]:
            if gold["feature"] != "demonym":
                continue
            total += 1
            found = predicted.get((gold["start"], gold["end"]))
            if found and found["kind"] == "demonym" and found["country_code"] == gold["country"] \
                    and found["role"] != "event_location":
                right += 1
    assert total >= 25 and right / total >= 0.9


def _claimant_matches(gold: str | None, predicted: str, source: str) -> bool:
    if gold is None:
        return predicted == source
    return gold.lower() in predicted.lower() or predicted.lower() in gold.lower()


def test_claims_figures_and_claimants(passages, runs) -> None:
    total = right = 0
    misses = []
    for passage in passages:
        events = runs[passage["id"]].events
        for claim in passage.get("claims", []):
            if claim.get("optional"):
                continue
            total += 1
            ok = any(e.get("figure") == claim["figure"] and e.get("figure_unit") == claim["unit"]
                     and _claimant_matches(claim["claimant"], e["claimant"], "Test Wire") for e in events)
            right += ok
            if not ok:
                misses.append((passage["id"], claim, [(e.get("figure"), e.get("figure_unit"), e["claimant"])
                                                      for e in events]))
    assert total >= 15 and right / total >= 0.8, misses


def test_dates_in_corpus(passages, runs) -> None:
    total = right = 0
    misses = []
    for passage in passages:
        found = {d.text.lower(): d.date for d in runs[passage["id"]].dates}
        for gold in passage.get("dates", []):
            total += 1
            if found.get(gold["text"].lower()) == str(gold["date"]) or str(gold["date"]) in found.values():
                right += 1
            else:
                misses.append((passage["id"], gold, found))
    assert total >= 15 and right / total >= 0.9, misses


def test_every_draft_has_evidence_from_its_passage(passages, runs) -> None:
    for passage in passages:
        for event in runs[passage["id"]].events:
            assert event["review"] is True
            assert event["evidence"] in passage["text"]
            assert event["status"] in ("claimed", "reported")
            dt.date.fromisoformat(str(event["date"]).split("/")[0]) if len(str(event["date"])) >= 10 else None


def test_held_out_passages_meet_targets_too(passages, runs) -> None:
    """Passages written after the rules were frozen: a check that the rules are not fitted to the corpus."""
    held_out = [p for p in passages if p.get("split") == "holdout"]
    assert len(held_out) >= 8
    scores = evaluate(held_out, lambda p: runs[p["id"]].mention_dicts())
    assert scores.f1 >= 0.90 and scores.resolution >= 0.90, "\n".join(scores.errors)


def test_public_api_and_geodataframe(passages) -> None:
    import geoevents

    passage = next(p for p in passages if p["id"] == "lyman-kreminna")
    result = geoevents.extract(passage["text"], published=passage["published"])
    frame = result.mentions_frame()
    assert frame.crs.to_epsg() == 4326
    lyman = frame[frame["text"] == "Lyman"].iloc[0]
    assert lyman["admin1_code"] == "UA-14"  # the Donetsk Lyman, next to Kreminna and Siversk
    assert abs(lyman.geometry.y - lyman["latitude"]) < 1e-9 and abs(lyman.geometry.x - lyman["longitude"]) < 1e-9
