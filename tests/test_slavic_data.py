"""The uk/ru language data and its readers: word patterns, table format errors, the district index."""

from __future__ import annotations

import pytest

from geoevents.extract import slavic_data
from geoevents.extract.raions import stem, units
from geoevents.extract.slavic_data import WordPatterns, fold, table, words


def test_fold_meets_spellings():
    assert fold("Кремлём") == fold("Кремлем") == "кремлем"
    assert fold("Куп’янськ") == fold("Купʼянськ") == fold("Куп'янськ")


def test_word_patterns_longest_first_with_prefixes_and_alternatives():
    patterns = WordPatterns([("кв км", "km2"), ("км", "km"), ("населен* пункт*", "villages"),
                             ("удар|удари|ударів", "attacks")])
    keys = ["кв", "км", "населених", "пунктів", "ударних", "ударів"]
    assert patterns.match(keys, 0) == ("km2", 2)
    assert patterns.match(keys, 1) == ("km", 1)
    assert patterns.match(keys, 2) == ("villages", 2)
    assert patterns.match(keys, 4) is None  # "ударних" is an adjective, no listed form
    assert patterns.match(keys, 5) == ("attacks", 1)
    assert patterns.match(keys, 6) is None
    assert patterns.starts("населеного") and not patterns.starts("село")
    with pytest.raises(ValueError, match="two letters"):
        WordPatterns([("к*", "x")])


def test_tables_are_read_by_their_header_and_bad_rows_are_named(tmp_path, monkeypatch):
    assert table("uk", "oblasts")[0].keys() >= {"code", "gender", "adjective", "colloquial"}
    assert "та" in words("uk", "coordinators")
    (tmp_path / "uk").mkdir()
    (tmp_path / "uk" / "broken.tsv").write_text("# a comment\na\tb\n1\t2\t3\n", encoding="utf-8")
    monkeypatch.setattr(slavic_data, "HERE", tmp_path)
    with pytest.raises(ValueError, match=r"broken.tsv: row 2: 3 cells"):
        slavic_data.table.__wrapped__("uk", "broken")
    with pytest.raises(FileNotFoundError, match="missing language data file"):
        slavic_data.words.__wrapped__("uk", "nothing_here")
    with pytest.raises(ValueError, match="uk, ru"):
        slavic_data.words.__wrapped__("de", "anything")


@pytest.mark.parametrize("adjective, level, admin1", [
    ("Покровський", "raion", "UA-14"), ("Суджанский", "raion", "RU-KRS"),
    ("Глушківський", "raion", "RU-KRS"),       # a Ukrainian spelling meets the Russian name
    ("Куцурубська", "hromada", "UA-48"), ("Святошинський", "city_district", "UA-30"),
])
def test_district_index(adjective, level, admin1):
    found = units(stem(adjective), (level,))
    assert admin1 in {unit.admin1 for unit in found}
