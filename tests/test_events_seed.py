"""The curated seed dataset: loads cleanly, geocodes every place, honest claimants,
and restates the story in our own words (no sentence copied)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geoevents.events.read import load_events

SEED = Path(__file__).resolve().parents[1] / "seeds" / "kursk-2025-02-07.yaml"


@pytest.fixture(scope="module")
def seed():
    from geoevents.places.gazetteer import Gazetteer
    gdf, problems = load_events(SEED, geocoder=Gazetteer.default())
    return gdf, problems


def test_seed_validates_cleanly(seed):
    _, problems = seed
    assert problems == []


def test_every_event_has_date_place_region_claimant(seed):
    gdf, _ = seed
    for column in ("date", "date_start", "place", "place_id", "admin1_code", "country_code",
                   "claimant", "claim", "status", "kind", "published"):
        assert gdf[column].notna().all(), column
    assert gdf.geometry.notna().all() and gdf.geometry.is_valid.all()
    assert set(gdf["admin1_code"]) == {"RU-KRS", "UA-59", "UA-63", "UA-30"}
    assert (gdf["published"] == "2025-02-07").all()
    assert (gdf["date_end"] <= "2025-02-07").all()


def test_seed_covers_the_story(seed):
    gdf, _ = seed
    by_id = gdf.set_index("id")
    start = by_id.loc["kursk-incursion-start"]
    assert (start.date, start.date_text, start.admin1_code) == ("2024-08", "six months ago", "RU-KRS")
    figures = {(row.figure, row.figure_unit, row.claimant) for row in gdf.itertuples()
               if row.figure == row.figure}
    for expected in [(1000.0, "km2", "POLITICO"), (500.0, "km2", "POLITICO"),
                     (40000.0, "troops", "Ukrainian General Staff"),
                     (16000.0, "killed", "Ukrainian General Staff"),
                     (900.0, "captured", "Ukrainian General Staff"),
                     (12000.0, "troops", "POLITICO"), (4000.0, "casualties", "POLITICO"),
                     (60000.0, "troops", "Volodymyr Zelenskyy")]:
        assert expected in figures, expected
    # a party's figures are claims, never reported or confirmed facts
    general_staff = gdf[gdf["claimant"] == "Ukrainian General Staff"]
    assert len(general_staff) >= 5 and (general_staff["status"] == "claimed").all()
    assert (gdf[gdf["claimant"].str.contains("Zelenskyy")]["status"] == "claimed").all()
    assert by_id.loc["russia-kursk-losses"].date == "2025-02-06"  # "on Thursday"
    assert by_id.loc["zelenskyy-kyiv-remarks"].date == "2025-02-05"  # "on Wednesday"
    assert by_id.loc["kharkiv-russian-offensive"].date == "2024-05-01/2025-02-07"  # since May
    assert by_id.loc["sumy-villages-glide-bombs"].admin1_code == "UA-59"
    assert by_id.loc["zelenskyy-kyiv-remarks"].geo_precision == "locality"
    assert by_id.loc["kursk-area-lost"].kind == "withdrawal"
    assert "buffer zone" in by_id.loc["ukraine-buffer-zone"].claim
    assert any("North Korea" in claim for claim in gdf["claim"])
    assert any("glide bomb" in claim for claim in gdf["claim"])


def test_no_sentence_copied_from_the_article(seed, seed_article):
    gdf, _ = seed
    article = re.sub(r"\s+", " ", seed_article.read_text(encoding="utf-8").lower())
    words = lambda text: re.findall(r"[a-z0-9']+", text.lower())  # noqa: E731
    article_words = " ".join(words(article))
    for claim in gdf["claim"]:
        tokens = words(claim)
        # no run of 8 consecutive words of ours appears verbatim in the article
        for i in range(max(0, len(tokens) - 7)):
            run = " ".join(tokens[i:i + 8])
            assert run not in article_words, (claim, run)
