"""Government names (geoevents.extract.metonymy) and words that are not places
(geoevents.extract.non_places) in Ukrainian and Russian. Sentences written for these tests."""

from __future__ import annotations

import pytest

from geoevents.extract.metonymy import find_government_names, reading_at
from geoevents.extract.non_places import find_non_places, ordinary_word


def readings(text: str, lang: str) -> list[tuple[str, str]]:
    return [(name.text, name.reading) for name in find_government_names(text, lang)]


@pytest.mark.parametrize("text, lang, expected", [
    # the government speaks or acts
    ("Москва заявила, що не відведе війська.", "uk", [("Москва", "government")]),
    ("Москва вкотре відкидає мирний план.", "uk", [("Москва", "government")]),
    ("У Києві наголошують, що переговорів не буде.", "uk", [("Києві", "government")]),
    ("У Москві визнали проблеми з постачанням.", "uk", [("Москві", "government")]),
    ("Позиція Києва не змінилася.", "uk", [("Києва", "government")]),
    ("Переговори з Москвою відкладено.", "uk", [("Москвою", "government")]),
    ("Вашингтон не підтримує удари вглиб Росії.", "uk", [("Вашингтон", "government")]),
    ("Пекін закликав до діалогу й пропонує посередництво.", "uk", [("Пекін", "government")]),
    ("Киев отвергает ультиматум.", "ru", [("Киев", "government")]),
    ("В Киеве заявили о новых санкциях.", "ru", [("Киеве", "government")]),
    ("Москва не видит оснований для паузы.", "ru", [("Москва", "government")]),
    ("Представитель Киева выступил в ООН.", "ru", [("Киева", "government")]),
    ("Контакты с Пекином продолжаются.", "ru", [("Пекином", "government")]),
    # buildings and streets always stand for the government
    ("Кремль мовчить.", "uk", [("Кремль", "government")]),
    ("На Банковій відповіли коротко.", "uk", [("Банковій", "government")]),
    ("У Білому домі обговорили допомогу.", "uk", [("Білому домі", "government")]),
    ("В Белом доме отказались комментировать.", "ru", [("Белом доме", "government")]),
    # the city itself
    ("У Києві пролунали вибухи.", "uk", [("Києві", "location")]),
    ("Росіяни вночі атакували Київ дронами.", "uk", [("Київ", "location")]),
    ("Уламки впали на околиці Москви.", "uk", [("Москви", "location")]),
    ("В Киеве объявлена воздушная тревога.", "ru", [("Киеве", "location")]),
    ("Аэропорты Москвы закрыты из-за беспилотников.", "ru", [("Москвы", "location")]),
    ("Беспилотник упал в Москве на складе.", "ru", [("Москве", "location")]),
])
def test_government_readings(text, lang, expected):
    assert readings(text, lang) == expected


def test_reading_at_a_span_and_dicts():
    text = "Тим часом у Києві наголошують на гарантіях."
    start = text.index("Києві")
    found = reading_at(text, start, start + len("Києві"), "uk")
    assert found is not None and found.reading == "government" and found.country == "UA"
    assert found.as_dict()["name"] == "Київ"
    assert reading_at(text, 0, 3, "uk") is None


def test_a_city_without_cues_is_no_government():
    assert readings("Делегація повернулася до Києва.", "uk") == [("Києва", "unknown")]


def non_places(text: str, lang: str) -> list[tuple[str, str]]:
    return [(item.text, item.reason) for item in find_non_places(text, lang)]


@pytest.mark.parametrize("text, lang, expected", [
    # channels, outlets, groups in quotes
    ("Телеграм-канал «Пепел Курск» знову поширив фейк.", "uk", [("Пепел Курск", "channel_name")]),
    ("Відео оприлюднив паблік «Херсонський вісник».", "uk", [("Херсонський вісник", "quoted_name")]),
    ("Бійці бригади «Азов» утримують позиції.", "uk", [("Азов", "quoted_name")]),
    ("Колонну помітили поблизу траси, пише «Сумський край».", "uk", [("Сумський край", "quoted_name")]),
    ("По данным «Донецкого фронта», бои идут в городе.", "ru",
     [("По", "function_word"), ("Донецкого фронта", "quoted_name")]),
    ("«Рыбарь» утверждает, что ВСУ отошли.", "ru", [("Рыбарь", "channel_name")]),
    ("Об этом пишет DeepState.", "ru", [("Об", "function_word"), ("DeepState", "channel_name")]),
    # a sarcastic quote around a real entity is no name
    ("Мобілізацію оголосила так звана «ЛНР».", "uk", []),
    # ordinary words at the start of a sentence or a quote
    ("Про це повідомили в ОВА.", "uk", [("Про", "function_word")]),
    ("Мир неможливий без виведення військ.", "uk", [("Мир", "common_word")]),
    ("«Победа будет за нами», — сказал он.", "ru", [("Победа", "common_word")]),
    # demonyms and first names
    ("Український бік не коментує.", "uk", [("Український", "demonym")]),
    ("Санкции против Российской Федерации продлены.", "ru", []),  # a name: a capital follows
    ("Удары наносит Российская авиация.", "ru", [("Российская", "demonym")]),
    ("Глава региона Владимир Сальдо выступил.", "ru", [("Владимир", "first_name")]),
    ("Заяву зробив Олександр Прокудін.", "uk", [("Олександр", "first_name")]),
])
def test_non_places(text, lang, expected):
    assert non_places(text, lang) == expected


@pytest.mark.parametrize("text, lang", [
    ("Бої тривають у Мирному та біля Перемоги.", "uk"),  # mid-sentence: a village may be called so
    ("Колонна вошла во Владимир.", "ru"),                 # the city, no surname after it
    ("Обстріляли Нову Каховку.", "uk"),
])
def test_real_places_are_not_flagged(text, lang):
    assert find_non_places(text, lang) == []


def test_ordinary_word_for_a_candidate_span():
    text = "Об этом сообщил губернатор."
    assert ordinary_word(text, 0, 2, "ru").reason == "function_word"
    assert ordinary_word(text, 3, 7, "ru") is None


@pytest.mark.parametrize("text, lang, expected", [
    ("Москва атакувала Київ ракетами.", "uk", [("Москва", "government"), ("Київ", "location")]),
    ("Київ атакували дрони.", "uk", [("Київ", "location")]),  # plural verb: Kyiv is the object
    ("Москва атаковала Киев ночью.", "ru", [("Москва", "government"), ("Киев", "location")]),
])
def test_the_attacker_is_a_government_the_target_a_place(text, lang, expected):
    assert readings(text, lang) == expected
