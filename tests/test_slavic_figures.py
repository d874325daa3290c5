"""Figures with units and hedges in Ukrainian and Russian (geoevents.extract.slavic_figures).
Sentences written for these tests."""

from __future__ import annotations

import pytest

from geoevents.extract.figures import Figure
from geoevents.extract.slavic_figures import find_figures, scan_figures


def figures(text: str, lang: str) -> list[tuple[str, float, str, str | None, bool]]:
    return [(f.text, f.value, f.unit, f.qualifier, f.approximate) for f in find_figures(text, lang)]


@pytest.mark.parametrize("text, lang, expected", [
    # hedges and multipliers
    ("Противник втратив понад 16 тисяч військовослужбовців.", "uk",
     [("понад 16 тисяч військовослужбовців", 16000, "casualties", "at least", True)]),
    ("За месяц противник потерял более 16 тысяч военнослужащих.", "ru",
     [("более 16 тысяч военнослужащих", 16000, "casualties", "at least", True)]),
    ("Під контролем близько 1000 кв. км території.", "uk", [("близько 1000 кв. км", 1000, "km2", "about", True)]),
    ("Под контролем около 1\u00a0000 кв.\u00a0км.", "ru", [("около 1\u00a0000 кв.\u00a0км", 1000, "km2", "about", True)]),
    ("Окупанти зосередили до 60 тис. військових.", "uk", [("до 60 тис. військових", 60000, "troops", "at most", True)]),
    ("Туди стягнули майже 1,3 тис. бійців.", "uk", [("майже 1,3 тис. бійців", 1300, "troops", "at most", True)]),
    ("Без світла лишилися 1,5 млн людей.", "uk", [("1,5 млн людей", 1_500_000, "people", None, False)]),
    ("Зі Слов'янська виїхали 12\u202f400 мешканців.", "uk", [("12\u202f400 мешканців", 12400, "people", None, False)]),
    ("Звільнено 14 населених пунктів.", "uk", [("14 населених пунктів", 14, "villages", None, False)]),
    ("Освобождены 5 населенных пунктов.", "ru", [("5 населенных пунктов", 5, "villages", None, False)]),
    ("Знищено 7 танків і 12 бойових броньованих машин.", "uk",
     [("7 танків", 7, "tanks", None, False), ("12 бойових броньованих машин", 12, "vehicles", None, False)]),
    ("Над областью сбиты 23 беспилотника и две ракеты.", "ru",
     [("23 беспилотника", 23, "drones", None, False), ("две ракеты", 2, "missiles", None, False)]),
    ("За добу ворог скинув 40 керованих авіабомб.", "uk", [("40 керованих авіабомб", 40, "bombs", None, False)]),
    ("У полоні опинилися 38 військовослужбовців.", "uk",
     [("38 військовослужбовців", 38, "captured", None, False)]),
    ("В плен взяты 19 военнослужащих ВСУ.", "ru", [("19 военнослужащих", 19, "captured", None, False)]),
    # what happened to the people counted, before or after, in the same clause
    ("Загинули четверо людей, ще семеро поранені.", "uk",
     [("четверо людей", 4, "killed", None, False), ("ще семеро поранені", 7, "wounded", "additional", False)]),
    ("Поранено трьох людей, серед них дитину.", "uk", [("трьох людей", 3, "wounded", None, False)]),
    ("Погибли шесть человек, ранены еще 20.", "ru", [("шесть человек", 6, "killed", None, False)]),
    ("Ранены три человека, один из них в тяжелом состоянии.", "ru", [("три человека", 3, "wounded", None, False)]),
    ("З міста евакуювали понад 400 людей.", "uk", [("понад 400 людей", 400, "people", "at least", False)]),
    ("Через удар загинула жінка.", "uk", [("загинула жінка", 1, "killed", None, False)]),
    ("В результате атаки погиб мужчина.", "ru", [("погиб мужчина", 1, "killed", None, False)]),
    ("Втрати ворога за добу становлять 1 230 осіб.", "uk", [("1 230 осіб", 1230, "casualties", None, False)]),
])
def test_figures(text, lang, expected):
    got = figures(text, lang)
    assert [(t, v, u, q) for t, v, u, q, _ in got] == [(t, v, u, q) for t, v, u, q, _ in expected]
    assert [a for *_, a in got] == [q in ("about", "at least", "at most") for *_, q, _ in expected]


@pytest.mark.parametrize("text, lang, unit, magnitude", [
    ("Звідти евакуювали сотні людей.", "uk", "people", 100),
    ("Противник потерял сотни военнослужащих.", "ru", "casualties", 100),
    ("У полоні десятки тисяч військових.", "uk", "captured", 10000),
    ("Сбиты десятки беспилотников.", "ru", "drones", 10),
    ("Уламки пошкодили кілька сотень будинків.", "uk", "buildings", 100),
    ("Вибухи лунали кілька разів за ніч.", "uk", None, None),  # no quantity of anything mapped
])
def test_vague_quantities_are_hedges_not_numbers(text, lang, unit, magnitude):
    scan = scan_figures(text, lang)
    assert scan.figures == [] or all(f.extra.get("number") for f in scan.figures)
    if unit is None:
        assert scan.vague == []
        return
    (vague,) = scan.vague
    assert (vague.unit, vague.magnitude) == (unit, magnitude)
    assert text[vague.start:vague.end] == vague.text


@pytest.mark.parametrize("text, lang", [
    ("У 2024 році фронт стабілізувався.", "uk"),   # a year is no count
    ("Станом на 12.03.2025 ситуація не змінилася.", "uk"),
    ("Сирена звучала о 12:30.", "uk"),
    ("6 августа ВСУ перешли границу.", "ru"),       # a date
    ("Ворог атакував 41 раз.", "uk"),               # "times" is no unit
])
def test_not_figures(text, lang):
    assert find_figures(text, lang) == []


def test_result_type_and_offsets():
    text = "Новини. Загинули 12 людей."
    (figure,) = find_figures(text, "uk", offset=1000)
    assert isinstance(figure, Figure)
    assert (figure.start - 1000, figure.end - 1000) == (text.index("12"), text.index("людей") + len("людей"))
    assert figure.as_dict()["unit"] == "killed"
