"""`extract` on the seed story (read from ../shared; never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geoevents.extract.pipeline import extract


@pytest.fixture(scope="module")
def seed(seed_article: Path):
    return extract(seed_article.read_text(encoding="utf-8"), published="2025-02-07", source="POLITICO")


def _mentions(seed, **where):
    return [m for m in seed.mention_dicts() if all(m.get(k) == v for k, v in where.items())]


def test_regions_are_admin1(seed) -> None:
    for code in ("RU-KRS", "UA-59", "UA-63"):
        found = _mentions(seed, admin1_code=code, feature="admin1")
        assert found, code
        assert {m["role"] for m in found} <= {"event_location", "other"}
    assert any(m["text"] == "Kursk region" for m in _mentions(seed, admin1_code="RU-KRS"))


def test_kyiv_dateline_location_and_government(seed) -> None:
    roles = [m["role"] for m in _mentions(seed, name="Kyiv", feature="place")]
    assert roles[0] == "dateline"
    assert "event_location" in roles  # "told reporters in Kyiv"
    assert roles.count("actor") == 2  # "give Kyiv leverage", "warned Kyiv"


def test_countries_and_demonyms(seed) -> None:
    assert _mentions(seed, feature="country", country_code="RU", kind="country")
    assert _mentions(seed, feature="country", country_code="UA", kind="country")
    north_korea = _mentions(seed, country_code="KP")
    assert north_korea and all(m["kind"] == "demonym" and m["role"] in ("actor", "other") for m in north_korea)
    united_states = _mentions(seed, country_code="US")
    assert united_states and all(m["role"] == "actor" for m in united_states)


def test_no_event_location_for_kremlin_or_washington(seed) -> None:
    kremlin = [m for m in seed.mention_dicts() if m["text"] == "Kremlin"]
    washington = [m for m in seed.mention_dicts() if m["text"] == "Washington"]
    assert kremlin and washington
    assert all(m["role"] == "actor" for m in kremlin + washington)
    places = {event.get("place") for event in seed.events}
    assert "Washington" not in places and "Moscow" not in places


def _events(seed, figure=None, **where):
    return [e for e in seed.events if (figure is None or e.get("figure") == figure)
            and all(e.get(k) == v for k, v in where.items())]


def test_general_staff_claims(seed) -> None:
    for figure, unit in ((40000, "troops"), (16000, "killed"), (900, "captured")):
        events = _events(seed, figure, figure_unit=unit)
        assert len(events) == 1, (figure, unit)
        event = events[0]
        assert event["claimant"] == "Ukrainian General Staff" and event["status"] == "claimed"
        assert event["date"] == "2025-02-06" and event["date_text"] == "on Thursday"
        assert event["review"] is True and str(figure)[:2] in event["evidence"].replace(",", "")
    assert _events(seed, 40000)[0]["approximate"] and _events(seed, 16000)[0]["approximate"]


def test_north_korean_troop_figures(seed) -> None:
    assert _events(seed, 12000, figure_unit="troops", approximate=True)
    assert _events(seed, 4000, approximate=True)


def test_area_seized_and_half_lost(seed) -> None:
    seized = _events(seed, 1000, figure_unit="km2")
    lost = _events(seed, 500, figure_unit="km2")
    assert seized and seized[0]["kind"] == "advance"
    assert lost and lost[0]["kind"] == "withdrawal" and lost[0]["approximate"]
    assert (seized[0]["place"], seized[0]["country"]) == ("Kursk Oblast", "RU")


def test_zelenskyy_claim_carried_through_quote(seed) -> None:
    events = _events(seed, 60000, figure_unit="troops")
    assert len(events) == 1
    assert events[0]["claimant"] == "Volodymyr Zelenskyy" and events[0]["status"] == "claimed"


def test_dates(seed) -> None:
    dates = {d.text.lower(): d.date for d in seed.dates if d.date}
    assert dates["six months ago"] == "2024-08"
    assert dates["on thursday"] == "2025-02-06"
    assert dates["on wednesday"] == "2025-02-05"
    assert dates["started in may"] == "2024-05"
    start = _events(seed, None, kind="advance", date="2024-08")
    assert start and start[0]["place"] == "Kursk Oblast"
    initial = [d for d in seed.dates if d.kind == "initial"]
    assert initial and initial[0].date_start.startswith("2024-08")


def test_seed_people_and_analyst(seed) -> None:
    claimants = {a.claimant for a in seed.attributions if a.claimant}
    assert {"Vitaly", "Mykola Bielieskov", "Volodymyr Zelenskyy", "Ukrainian General Staff"} <= claimants
    roles = [a for a in seed.attributions if a.how == "role"]
    assert roles and all(a.claimant == "Mykola Bielieskov" for a in roles)
