"""The frozen geoparsing evaluation sets (tests/data/geoparse) are well-formed and complete.

gold.json is built from en.yaml / uk.yaml / ru.yaml by build_gold.py; these checks re-read
the marked passages (fast: no gazetteer or GeoNames load) so the two can never drift apart,
and check the held-out draw is the seeded one recorded in split.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
import yaml

from geoevents.extract.geoparse_eval import TOPONYM_FEATURES, inside, load

HERE = Path(__file__).parent / "data" / "geoparse"
sys.path.insert(0, str(HERE))
from build_gold import ROLES, TRAP_CLASSES, draw, parse_marked  # noqa: E402

FEATURES = TOPONYM_FEATURES | {"demonym", "landmark"}
CLASSES = {"namesake", "modifier", "abbreviation", "declined", "multiword", "qualifier", "dateline", "demonym",
           "metonymy", "area", "first_level", "region_phrase", "region_name", "war_village", "small_town", "plain"}
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?|-W\d{2})?(/\d{4}-\d{2}-\d{2})?")


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load(HERE / "gold.json")


@pytest.fixture(scope="module")
def split() -> dict:
    return yaml.safe_load((HERE / "split.yaml").read_text(encoding="utf-8"))


def _written(lang: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{lang}.yaml").read_text(encoding="utf-8"))["passages"]


def test_sizes_meet_the_issues(gold) -> None:
    by_lang = {lang: [p for p in gold if p["lang"] == lang] for lang in ("en", "uk", "ru")}
    toponyms = sum(1 for p in by_lang["en"] for m in p["mentions"] if m["feature"] in TOPONYM_FEATURES)
    assert len(by_lang["en"]) >= 150 and toponyms >= 1000
    assert len(by_lang["uk"]) >= 40 and len(by_lang["ru"]) >= 40
    assert len({p["id"] for p in gold}) == len(gold)


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_gold_json_matches_the_marked_passages(gold, lang) -> None:
    """Text, spans, keys and roles in gold.json are exactly what the marks in <lang>.yaml say."""
    built = [p for p in gold if p["lang"] == lang]
    written = _written(lang)
    assert [p["id"] for p in built] == [p["id"] for p in written]
    for passage, source in zip(built, written):
        text, mentions, traps = parse_marked(source["text"], source["id"])
        assert passage["text"] == text
        assert passage["published"] == str(source["published"])
        assert [(m["text"], m["start"], m["end"], m["key"], m["role"]) for m in passage["mentions"]] == \
            [(m["text"], m["start"], m["end"], m["key"], m["role"]) for m in mentions], passage["id"]
        assert [(t["start"], t["end"]) for t in passage["traps"]] == [(t["start"], t["end"]) for t in traps]


def test_every_mention_is_well_formed(gold) -> None:
    sources = load_meta()["sources"]
    for passage in gold:
        text, pid = passage["text"], passage["id"]
        for m in passage["mentions"]:
            where = (pid, m["text"])
            assert text[m["start"]:m["end"]] == m["text"], where
            assert m["role"] in ROLES.values() and m["feature"] in FEATURES, where
            assert m["classes"] and set(m["classes"]) <= CLASSES, where
            if m["feature"] in ("demonym", "landmark"):
                assert re.fullmatch(r"[A-Z]{2}", m["country"]), where
                continue
            assert -90 <= m["latitude"] <= 90 and -180 <= m["longitude"] <= 180, where
            assert m["coord_source"] in sources or m["coord_source"].startswith(("hand:", "GeoNames")), where
            if m.get("admin1"):
                assert re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", m["admin1"]) and m["admin1"][:2] == m["country"], where
            if m["feature"] == "place":
                assert m["country"], where
                assert m["coord_source"] != "geonames-cities500" or m["geonames_id"], where
            else:  # an area: its point lies in its bbox, and the bbox is a real box
                west, south, east, north = m["bbox"]
                assert south < north and -180 <= west <= 180 and -180 <= east <= 180, where
                assert inside(m["bbox"], m["latitude"], m["longitude"]), where
        for trap in passage["traps"]:
            assert text[trap["start"]:trap["end"]] == trap["text"] and trap["classes"][0] in TRAP_CLASSES
        for date in passage["dates"]:
            assert DATE.fullmatch(date["date"]) and date["text"] in text, (pid, date)
        for claim in passage["claims"]:
            assert isinstance(claim["figure"], int) and claim["unit"] and "claimant" in claim, (pid, claim)


def load_meta() -> dict:
    import json

    return json.loads((HERE / "gold.json").read_text(encoding="utf-8"))["meta"]


def test_held_out_part_is_the_recorded_seeded_draw(gold, split) -> None:
    """Held-out passages were drawn at random (seed in split.yaml) before anything was measured."""
    meta = load_meta()
    assert meta["seed"] == split["seed"] and meta["frozen"] == split["frozen"]
    for lang in ("en", "uk", "ru"):
        dt.date.fromisoformat(split["frozen"][lang])
        ids = [p["id"] for p in _written(lang)][:split["pool"][lang]]
        assert sorted(draw(ids, lang, split["seed"], split["fraction"])) == split["holdout"][lang]
        passages = [p for p in gold if p["lang"] == lang]
        held = {p["id"] for p in passages if p["split"] == "holdout"}
        assert held == set(split["holdout"][lang])
        assert {p["split"] for p in passages} == {"dev", "holdout"}
        assert 0.30 <= len(held) / len(passages) <= 0.40


def test_every_error_class_of_the_issues_is_covered(gold) -> None:
    counts: dict[tuple[str, str], int] = {}
    for passage in gold:
        for item in passage["mentions"] + passage["traps"]:
            for name in item["classes"]:
                counts[passage["lang"], name] = counts.get((passage["lang"], name), 0) + 1
    for name in ("area", "multiword", "namesake", "first_level", "abbreviation", "region_name", "small_town",
                 "common_word", "person_name", "modifier", "metonymy", "demonym", "war_village"):
        assert counts.get(("en", name), 0) >= 5, name
    for lang in ("uk", "ru"):
        for name in ("declined", "region_phrase", "namesake", "metonymy", "multiword", "channel_name",
                     "common_word", "war_village"):
            assert counts.get((lang, name), 0) >= 1, (lang, name)
    dated = [p for p in gold if p["lang"] != "en" and p["dates"]]
    claimed = [p for p in gold if p["lang"] != "en" and p["claims"]]
    assert len(dated) >= 20 and len(claimed) >= 30
