"""The settlements scorer counts what it says, and the gazetteer stays at or above today's baseline.

==> FLOORS TO RAISE: BASELINE below is what the offline gazetteer scored on 2026-11-26 (main at
==> 6f85371, GeoNames cities500 only), minus MARGIN. The gazetteer integration of issue 11 must
==> raise these in the same commit that raises the scores (targets in TARGETS; docs/geocoding.md,
==> "Front-line settlements evaluation"). Never lower them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geoevents.places.settlements_eval import Report, evaluate, format_table, judge, load, loose_name_keys, same_unit

GOLD = Path(__file__).parent / "data" / "settlements"
MARGIN = 0.02

# (country, part) -> today's shares (rows with a known point for the km columns)
BASELINE = {
    ("UA", "dev"): dict(right_oblast=0.680, second_spelling_right_oblast=0.667, within10=0.748, within25=0.751,
                        right_settlement=0.658),
    ("UA", "holdout"): dict(right_oblast=0.643, second_spelling_right_oblast=0.631, within10=0.753, within25=0.753,
                            right_settlement=0.622),
    ("RU", "dev"): dict(right_oblast=0.389, within5=0.364, right_settlement=0.364),
    ("RU", "holdout"): dict(right_oblast=0.503, within5=0.503, right_settlement=0.503),
}
# what issue 11 asks for (measured, not asserted until the integration lands)
TARGETS = {"UA": dict(right_oblast=0.95, within25=0.90, second_spelling_right_oblast=0.90),
           "RU": dict(within5=0.95), "radius_holds": 0.90}


@pytest.fixture(scope="module")
def report() -> Report:
    from geoevents.places.settlements_eval import gazetteer_lookup

    truth, queries = load(GOLD)
    return evaluate(gazetteer_lookup(), truth, queries)


@pytest.mark.parametrize("key", sorted(BASELINE))
def test_gazetteer_stays_at_or_above_its_frozen_baseline(report, key) -> None:
    scores = report.parts[key].summary()
    below = {name: (scores[name], floor) for name, floor in BASELINE[key].items() if scores[name] < floor - MARGIN}
    assert not below, f"{key}: below baseline - {MARGIN}: {below}"


def test_table_has_both_countries_parts_and_groupings(report) -> None:
    table = format_table(report)
    for label in ("UA dev", "UA holdout", "RU dev", "RU holdout", "UA dev case_form", "UA holdout old_name",
                  "RU dev raion", "UA dev village-not-in-cities500"):
        assert label in table, label
    assert report.parts["UA", "all"].rows == report.parts["UA", "dev"].rows + report.parts["UA", "holdout"].rows


# ---- the scorer itself, on hand-made results ---------------------------------------------------

ROBOTYNE = {"id": "UA23100270150025192", "country": "UA", "admin1": "UA-23", "name": "Роботине",
            "name_latin": "Robotyne", "category": "C", "katottg": "UA23100270150025192", "raion": "Пологівський",
            "raion_code": "UA23100000000064858", "hromada": "Оріхівська", "hromada_code": "UA23100170000079311",
            "registry_id": "", "oktmo": "", "latitude": "47.4456", "longitude": "35.8343",
            "coord_source": "geonames-postal-acc4", "geonames_id": ""}
NO_POINT = dict(ROBOTYNE, latitude="", longitude="", coord_source="")
SUDZHA = dict(ROBOTYNE, id="RU-sme:115637", country="RU", admin1="RU-KRS", name="Суджа", name_latin="Sudzha",
              category="г", katottg="", raion="Суджанский", raion_code="", hromada="", hromada_code="",
              registry_id="115637", oktmo="38640101001", latitude="51.1917", longitude="35.2711")
NAMES = loose_name_keys(["Роботине", "Robotyne", "Работино", "Rabotino"])


def _result(lat=47.4456, lon=35.8343, admin1="UA-23", name="Robotyne", **extra) -> dict:
    return {"name": name, "latitude": lat, "longitude": lon, "admin1_code": admin1, "feature": "place",
            "error": None, **extra}


def test_code_decides_the_settlement_over_distance() -> None:
    far_but_same = judge(ROBOTYNE, _result(47.30, 35.70, katottg="UA23100270150025192"), NAMES)
    assert far_but_same.right_settlement and far_but_same.verdict == "right"
    near_but_other = judge(ROBOTYNE, _result(katottg="UA23100170060042812", name="Novodanylivka"), NAMES)
    assert near_but_other.right_settlement is False and near_but_other.verdict == "wrong_other"
    assert judge(SUDZHA, _result(51.0, 35.0, "RU-KRS", "Sudzha", registry_id=115637), loose_name_keys(["Sudzha"])).right_settlement
    assert judge(SUDZHA, _result(51.19, 35.27, "RU-KRS", "Sudzha", oktmo="38640000000"), loose_name_keys(["Sudzha"])).verdict \
        == "wrong_namesake"


def test_without_a_code_distance_and_name_decide() -> None:
    assert judge(ROBOTYNE, _result(47.46, 35.84, name="Somewhere"), NAMES).right_settlement   # ~1.7 km
    same_name_4km = judge(ROBOTYNE, _result(47.48, 35.84), NAMES)
    assert same_name_4km.right_settlement and 3 < same_name_4km.distance_km < 5
    other_3km = judge(ROBOTYNE, _result(47.47, 35.84, name="Novopokrovka"), NAMES)
    assert other_3km.verdict == "wrong_other"
    namesake = judge(ROBOTYNE, _result(48.9, 37.0, admin1="UA-14", name="Rabotino"), NAMES)
    assert namesake.verdict == "wrong_namesake" and not namesake.right_oblast
    assert judge(NO_POINT, _result(), NAMES).verdict == "undecided"          # same name, nothing to compare
    assert judge(NO_POINT, _result(name="Tokmak"), NAMES).verdict == "wrong_other"
    assert judge(ROBOTYNE, {"error": "no place", "latitude": None}, NAMES).verdict == "unresolved"
    region = judge(ROBOTYNE, _result(feature="admin1", name="Zaporizhzhia Oblast"), NAMES)
    assert region.right_oblast and region.right_settlement is False


def test_uncertainty_radius_and_new_fields_are_recorded() -> None:
    # no code in the result: an estimated point of the right name within its radius is the settlement
    held = judge(ROBOTYNE, _result(47.50, 35.90, precision="estimated", uncertainty_km=17, raion="Polohy district",
                                   hromada="Оріхівська громада"), NAMES)
    assert held.estimated and held.radius_holds and held.right_raion and held.right_hromada
    assert held.extra == {"precision": "estimated", "uncertainty_km": 17, "raion": "Polohy district",
                          "hromada": "Оріхівська громада"}
    assert held.right_settlement and 5 < held.distance_km < 17
    coded = judge(ROBOTYNE, _result(47.80, 36.20, precision="estimated", uncertainty_km=17,
                                    katottg="UA23100270150025192"), NAMES)
    assert coded.right_settlement and coded.radius_holds is False   # right place, radius too small
    exact = judge(ROBOTYNE, _result(precision="exact", uncertainty_km=0), NAMES)
    assert not exact.estimated and exact.radius_holds is None
    assert same_unit("Покровський", "UA14160000000061982", "Pokrovsk district")
    assert same_unit("Покровський", "UA14160000000061982", "UA14160000000061982")
    assert same_unit("Покровський", "UA14160000000061982", "Kramatorskyi raion") is False
    assert same_unit("Покровський", "UA14160000000061982", None) is None


def test_tallies_per_part_kind_and_second_spelling() -> None:
    truth = {"a": ROBOTYNE, "b": SUDZHA}
    rows = [
        {"settlement": "a", "query": "Robotyne", "kind": "official_latin", "within": "UA-23", "country": "", "hint": "oblast",
         "split": "dev"},
        {"settlement": "a", "query": "Работино", "kind": "ru", "within": "UA-23", "country": "", "hint": "oblast",
         "split": "dev"},
        {"settlement": "a", "query": "Rabotino", "kind": "popular_latin", "within": "", "country": "", "hint": "none",
         "split": "dev"},
        {"settlement": "b", "query": "Sudzha", "kind": "official_latin", "within": "RU-KRS", "country": "",
         "hint": "oblast", "split": "holdout"},
    ]
    answers = {"Robotyne": _result(), "Работино": {"error": "no place", "latitude": None},
               "Rabotino": _result(48.9, 37.0, "UA-14", "Rabotino"), "Sudzha": _result(51.195, 35.27, "RU-KRS", "Sudzha")}
    seen = []

    def lookup(query, *, country=None, within=None):
        seen.append((query, country, within))
        return answers[query]

    report = evaluate(lookup, truth, rows)
    assert seen[1] == ("Работино", None, "UA-23") and seen[2] == ("Rabotino", None, None)
    ua = report.parts["UA", "dev"].summary()
    assert ua["rows"] == 3 and ua["right_oblast"] == round(1 / 3, 3) and ua["unresolved"] == round(1 / 3, 3)
    assert ua["second_spelling_right_oblast"] == 0.0 and ua["wrong_namesake"] == round(1 / 3, 3)
    assert ua["within10"] == round(1 / 3, 3) and ua["right_settlement"] == round(1 / 3, 3)
    ru = report.parts["RU", "holdout"].summary()
    assert ru["within5"] == 1.0 and ru["right_settlement"] == 1.0
    assert report.kinds["UA", "dev", "popular_latin"].summary()["wrong_namesake"] == 1.0
    assert report.hints["UA", "dev", "none"].rows == 1
    assert [r["verdict"] for r in report.rows] == ["right", "unresolved", "wrong_namesake", "right"]
