"""Region phrases in Ukrainian and Russian (geoevents.extract.region_phrases): one and two regions
under one noun, every case, colloquial -щина nouns, occupation names, raions and hromadas.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from geoevents.extract.region_phrases import find_region_phrases


def phrases(text: str, lang: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.text, p.codes) for p in find_region_phrases(text, lang)]


@pytest.mark.parametrize("text, lang, expected", [
    # one region with its noun, in every case
    ("Курська область знову під обстрілом.", "uk", [("Курська область", ("RU-KRS",))]),
    ("Обстріли Курської області тривають.", "uk", [("Курської області", ("RU-KRS",))]),
    ("Удар по Курській області відбито.", "uk", [("Курській області", ("RU-KRS",))]),
    ("Вони перетнули кордон із Бєлгородською областю.", "uk", [("Бєлгородською областю", ("RU-BEL",))]),
    ("Сирени лунали над Запорізькою областю всю ніч.", "uk", [("Запорізькою областю", ("UA-23",))]),
    ("Губернатор Курской области сообщил о новых атаках.", "ru", [("Курской области", ("RU-KRS",))]),
    ("Курская область остается в режиме КТО.", "ru", [("Курская область", ("RU-KRS",))]),
    ("Над Брянской областью сбиты два дрона.", "ru", [("Брянской областью", ("RU-BRY",))]),
    ("Жителей вывезли в Курскую область.", "ru", [("Курскую область", ("RU-KRS",))]),
    ("Краснодарский край усилил охрану побережья.", "ru", [("Краснодарский край", ("RU-KDA",))]),
    # two or three regions under one noun: one span per region
    ("Бої тривали на території Донецької та Луганської областей.", "uk",
     [("Донецької", ("UA-14",)), ("Луганської", ("UA-09",))]),
    ("Тривогу оголосили в Сумській, Харківській і Чернігівській областях.", "uk",
     [("Сумській", ("UA-59",)), ("Харківській", ("UA-63",)), ("Чернігівській", ("UA-74",))]),
    ("Авиация работала в Сумской и Харьковской областях.", "ru",
     [("Сумской", ("UA-59",)), ("Харьковской", ("UA-63",))]),
    ("Требуют вывода войск из Херсонской и Запорожской областей.", "ru",
     [("Херсонской", ("UA-65",)), ("Запорожской", ("UA-23",))]),
    # colloquial nouns in every case
    ("На Донеччині тривають бої.", "uk", [("Донеччині", ("UA-14",))]),
    ("Донеччина знову без світла.", "uk", [("Донеччина", ("UA-14",))]),
    ("Евакуація з Сумщини триває.", "uk", [("Сумщини", ("UA-59",))]),
    ("Дрони летіли над Житомирщиною.", "uk", [("Житомирщиною", ("UA-18",))]),
    ("Волонтери поїхали на Харківщину.", "uk", [("Харківщину", ("UA-63",))]),
    ("ДРГ знову помічені на Курщині.", "uk", [("Курщині", ("RU-KRS",))]),
    ("Колонна прошла по Курщине ночью.", "ru", [("Курщине", ("RU-KRS",))]),
    ("На Белгородчине снова обстрелы.", "ru", [("Белгородчине", ("RU-BEL",))]),
    ("Граница Брянщины закрыта для въезда.", "ru", [("Брянщины", ("RU-BRY",))]),
    ("Сильные бои идут на Харьковщине.", "ru", [("Харьковщине", ("UA-63",))]),
    ("Ситуация на Донетчине остается сложной.", "ru", [("Донетчине", ("UA-14",))]),
    # noun-named regions
    ("Над Кримом збили крилату ракету.", "uk", [("Кримом", ("UA-43",))]),
    ("В Крыму перекрыли мост.", "ru", [("Крыму", ("UA-43",))]),
    ("Вибухи в Автономній Республіці Крим чули вночі.", "uk", [("Автономній Республіці Крим", ("UA-43",))]),
    ("Бои за Донбасс продолжаются.", "ru", [("Донбасс", ("UA-14", "UA-09"))]),
])
def test_region_phrases(text, lang, expected):
    assert phrases(text, lang) == expected


def test_offices_and_front_sectors_name_the_region_by_its_adjective_only():
    found = find_region_phrases("Начальник Сумської ОВА повідомив про бої на Куп'янському та "
                                "Харківському напрямках і на Запорізькому напрямку.", "uk")
    assert [(p.text, p.codes, p.head_kind) for p in found] == [
        ("Сумської", ("UA-59",), "authority"), ("Харківському", ("UA-63",), "direction"),
        ("Запорізькому", ("UA-23",), "direction")]
    assert found[0].name == "Сумська область" and found[0].head == "ОВА"


def test_occupation_names_are_marked():
    found = find_region_phrases("Глава ДНР заявил, что в Донецкой Народной Республике и ЛНР введен "
                                "режим. Врио губернатора Запорожской области выступил с обращением.", "ru")
    assert [(p.text, p.codes, p.occupation) for p in found] == [
        ("ДНР", ("UA-14",), True), ("Донецкой Народной Республике", ("UA-14",), True),
        ("ЛНР", ("UA-09",), True), ("Запорожской области", ("UA-23",), True)]
    assert found[1].name == "Донецкая Народная Республика"
    # the same oblast named by Ukraine is no occupation name
    assert not find_region_phrases("Обстріл Запорізької області.", "uk")[0].occupation
    plural = find_region_phrases("вывод войск из Донецкой и Луганской народных республик", "ru")
    assert [(p.text, p.codes, p.occupation) for p in plural] == [
        ("Донецкой", ("UA-14",), True), ("Луганской", ("UA-09",), True)]


def test_sevastopol_is_a_city_that_is_its_own_region():
    (found,) = find_region_phrases("Губернатор Севастополя сообщил об атаке.", "ru")
    assert (found.text, found.codes, found.kind) == ("Севастополя", ("UA-40",), "city")


@pytest.mark.parametrize("text, lang, span, codes, kind, name", [
    ("Вибухи пролунали в Покровському районі.", "uk", "Покровському районі", ("UA-14",), "raion",
     "Покровський район"),
    ("Евакуація з Покровського району Донецької області триває.", "uk", "Покровського району",
     ("UA-14",), "raion", "Покровський район"),
    ("В Суджанском районе восстановлена связь.", "ru", "Суджанском районе", ("RU-KRS",), "raion",
     "Суджанский район"),
    ("Бої йдуть на території Суджанського району.", "uk", "Суджанського району", ("RU-KRS",), "raion",
     "Суджанский район"),
    ("Обстріляли Куцурубську громаду.", "uk", "Куцурубську громаду", ("UA-48",), "hromada",
     "Куцурубська громада"),
    ("У Святошинському районі пошкоджено будинок.", "uk", "Святошинському районі", ("UA-30",),
     "city_district", "Святошинський район"),
    ("Ворог гатить по Нікопольщині.", "uk", "Нікопольщині", ("UA-12",), "raion", "Нікопольщина"),
])
def test_districts(text, lang, span, codes, kind, name):
    (found,) = [p for p in find_region_phrases(text, lang) if p.head_kind in ("raion", "hromada")
                or p.kind == "raion"]
    assert (found.text, found.codes, found.kind, found.name) == (span, codes, kind, name)
    assert text[found.start:found.end] == span


@pytest.mark.parametrize("text, lang", [
    ("У громадах залишаються люди.", "uk"),           # a capitalised preposition is no adjective
    ("курські села спорожніли", "uk"),                 # lower case: not a name
    ("Харківський університет відкрив набір.", "uk"),  # region adjective without a region noun
    ("Бои идут в районе Суджи.", "ru"),                # 'in the area of', not a raion
    ("Донецкий аэропорт разрушен.", "ru"),
])
def test_not_region_phrases(text, lang):
    assert find_region_phrases(text, lang) == []


def test_offsets_and_dicts():
    text = "Ракета впала на Херсонщині."
    (found,) = find_region_phrases(text, "uk")
    assert text[found.start:found.end] == found.text == "Херсонщині"
    assert found.as_dict()["codes"] == ["UA-65"] and found.as_dict()["name"] == "Херсонщина"


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="uk, ru"):
        find_region_phrases("Kursk region", "de")


def test_regions_sharing_a_noun_with_other_adjectives():
    found = find_region_phrases("Бої на Харківському та Куп'янському напрямках.", "uk")
    assert [(p.text, p.codes, p.head_kind) for p in found] == [("Харківському", ("UA-63",), "direction")]


def test_several_districts_under_one_noun_and_their_oblast():
    text = "Евакуація триває з Шосткинського та Охтирського районів Сумської області."
    found = find_region_phrases(text, "uk")
    assert [(p.text, p.codes, p.kind) for p in found] == [
        ("Шосткинського", ("UA-59",), "raion"), ("Охтирського", ("UA-59",), "raion"),
        ("Сумської області", ("UA-59",), "oblast")]
    # a district no table knows takes the oblast written after it
    (district, _) = find_region_phrases("у Курахівському районі Донецької області", "uk")
    assert (district.codes, district.units) == (("UA-14",), ())
