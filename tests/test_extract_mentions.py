"""Place spotting and roles on short sentences of our own (needs the offline gazetteer)."""

from __future__ import annotations

import pytest

from geoevents.extract.pipeline import extract


def mentions(text: str, published: str = "2025-03-07") -> dict[str, dict]:
    return {m["text"]: m for m in extract(text, published=published).mention_dicts()}


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Washington warned Kyiv against escalation.", "Kyiv", "actor"),
        ("Washington warned Kyiv against escalation.", "Washington", "actor"),
        ("Envoys resumed talks with Moscow on Monday.", "Moscow", "actor"),
        ("Sirens sounded in Kyiv overnight.", "Kyiv", "event_location"),
        ("Officials in Kyiv said the grid held.", "Kyiv", "event_location"),
        ("The plan was kept secret from Washington.", "Washington", "actor"),
        ("A refinery burned in Ryazan, some 200 kilometres south-east of Moscow.", "Moscow", "other"),
        ("Units pushed to within two kilometres of Pokrovsk.", "Pokrovsk", "event_location"),
        ("Toretsk, known until 2016 as Dzerzhynsk, came under fire.", "Dzerzhynsk", "other"),
        ("Drones struck Russia's Belgorod region.", "Russia", "other"),
        ("Drones struck Russia's Belgorod region.", "Belgorod region", "event_location"),
        ("Shelling hit the towns of Pokrovsk, Myrnohrad and Selydove.", "Selydove", "event_location"),
        ("ODESA, Ukraine — Ports were hit again.", "Ukraine", "dateline"),
    ],
)
def test_roles(text: str, name: str, role: str) -> None:
    found = mentions(text)
    assert name in found, found.keys()
    assert found[name]["role"] == role


def test_namesakes_settled_by_the_region_named_in_the_sentence() -> None:
    donetsk = mentions("Shells hit Mykolaivka, a town in the Donetsk region.")["Mykolaivka"]
    odesa = mentions("Shells hit Mykolaivka, a village in the Odesa region.")["Mykolaivka"]
    assert donetsk["admin1_code"] == "UA-14" and odesa["admin1_code"] == "UA-51"
    assert donetsk["ambiguous"] and donetsk["candidates"]


def test_old_and_cyrillic_names_resolve() -> None:
    assert mentions("Fighting went on in Artemovsk.")["Artemovsk"]["name"] == "Bakhmut"
    assert mentions("Прапор підняли в Суджа.")["Суджа"]["admin1_code"] == "RU-KRS"


def test_not_places() -> None:
    found = mentions("Vitaly said the Khortytsia group crossed the Dnipro river near the Oskil. "
                     "Ukrainian-held Kupiansk was shelled.")
    assert "Vitaly" not in found  # a person, not Vitali (Philippines)
    assert "Dnipro" not in found and "Oskil" not in found and "Khortytsia" not in found
    assert "Ukrainian" not in found  # "Ukrainian-held" describes control
    assert found["Kupiansk"]["role"] == "event_location"


def test_demonyms_are_actors_not_locations() -> None:
    found = mentions("North Korean troops joined Russian units on Russian territory. The Korean troops withdrew.")
    assert found["North Korean"]["country_code"] == "KP" and found["North Korean"]["role"] == "actor"
    assert found["Korean"]["country_code"] == "KP"
    roles = [m["role"] for m in extract("Russian units moved onto Russian territory.",
                                        published="2025-03-07").mention_dicts()]
    assert roles == ["actor", "other"]


def test_capitalised_words_that_are_not_places_here() -> None:
    found = mentions("Many analysts read Ukrainska Pravda and Novaya Gazeta. Both say little. "
                     "The Sumy Oblast Military Administration reported shelling in Bucha.")
    assert set(found) == {"Sumy Oblast", "Bucha"}
    assert found["Sumy Oblast"]["admin1_code"] == "UA-59"


def test_two_claimants_and_two_places_in_one_sentence() -> None:
    text = ("Ukraine's air force said it shot down 50 drones over the Sumy region overnight, "
            "while Russia's defence ministry claimed 12 Ukrainian drones were destroyed over Belgorod.")
    events = {e["figure"]: e for e in extract(text, published="2025-03-07").events}
    assert events[50]["claimant"] == "Ukraine's air force" and events[50]["place"] == "Sumy Oblast"
    assert events[12]["claimant"] == "Russia's defence ministry" and events[12]["place"] == "Belgorod"
    assert events[50]["status"] == events[12]["status"] == "claimed"


def test_bare_region_name_keeps_the_city_as_a_candidate() -> None:
    result = extract("Troops advanced in the Kursk region. Losses in Kursk were heavy.", published="2025-03-07")
    bare = [m for m in result.mention_dicts() if m["text"] == "Kursk"][0]
    assert bare["feature"] == "admin1" and bare["ambiguous"]
    assert {c["feature"] for c in bare["candidates"]} == {"admin1", "place"}
    city = mentions("Shelling hit the city of Kursk. The Kursk region was calm.")["Kursk"]
    assert city["feature"] == "place"


def test_water_bodies_and_offices() -> None:
    found = mentions("Ice covered the Sea of Azov. The Battle of Bakhmut ended. A blast hit the Crimean Bridge. "
                     "Kyiv Mayor Vitali Klitschko said the metro was closed.")
    assert "Azov" not in found and "Crimean" not in found
    assert found["Bakhmut"]["role"] == "event_location"  # the battle was there
    assert found["Kyiv"]["role"] == "other"
