"""Claimants of Ukrainian and Russian sentences (geoevents.extract.slavic_claimants): headers,
subjects of verbs of saying, inverted attribution, "за даними / по данным", pronouns, "Про це
повідомили" and carrying within a paragraph. Sentences written for these tests."""

from __future__ import annotations

import pytest

from geoevents.extract.claimants import Attribution
from geoevents.extract.sentences import split_sentences
from geoevents.extract.slavic_claimants import claimant_at, find_claimants


def claimants(text: str, lang: str) -> list[tuple[str, str] | None]:
    claims = find_claimants(text, split_sentences(text), lang)
    return [(c.claimant.name, c.claimant.how) if c.claimant else None for c in claims]


@pytest.mark.parametrize("text, lang, expected", [
    # a post opens with its author
    ("Генштаб ЗСУ: ворог 30 разів штурмував позиції. Втрати противника зростають.", "uk",
     [("Генштаб ЗСУ", "header"), ("Генштаб ЗСУ", "carried")]),
    ("Херсонська ОВА: внаслідок обстрілу поранено трьох людей.", "uk", [("Херсонська ОВА", "header")]),
    ("Начальник Сумської ОВА Володимир Артюх: у громадах працюють рятувальники.", "uk",
     [("Володимир Артюх", "header")]),
    ("Вячеслав Гладков: в Шебекино повреждены два дома.", "ru", [("Вячеслав Гладков", "header")]),
    ("Зведення від Генштабу: противник втратив 1 100 осіб.", "uk", [("Генштаб ЗСУ", "header")]),
    # subject of a verb of saying
    ("Міноборони заявило про контрудар біля Торецька.", "uk", [("Міноборони", "subject")]),
    ("Повітряні сили повідомили про збиття 40 дронів.", "uk", [("Повітряні сили", "subject")]),
    ("В Минобороны России заявили об освобождении села.", "ru", [("Минобороны России", "subject")]),
    ("Губернатор Курской области Александр Хинштейн сообщил о пожаре.", "ru", [("Александр Хинштейн", "subject")]),
    ("Денис Пушилин заявил о боях в пригороде.", "ru", [("Денис Пушилин", "subject")]),
    ("ISW оцінює темп наступу як повільний.", "uk", [("ISW", "subject")]),
    # the verb first
    ("Удар припав на склад, повідомив начальник Одеської ОВА Олег Кіпер.", "uk", [("Олег Кіпер", "inverted")]),
    ("Бої тривають у передмісті, повідомили в Генштабі ЗСУ.", "uk", [("Генштаб ЗСУ", "inverted")]),
    ("ВСУ отошли с позиций, пишет «Рыбарь».", "ru", [("«Рыбарь»", "inverted")]),
    ("Як повідомили в ЦПД, відео змонтоване.", "uk", [("ЦПД", "inverted")]),
    # according to
    ("За даними ISW, росіяни просунулися біля Покровська.", "uk", [("ISW", "according")]),
    ("По данным Минобороны, сбиты 12 беспилотников.", "ru", [("Минобороны", "according")]),
    ("З посиланням на Генштаб видання пише про нові штурми.", "uk", [("Генштаб ЗСУ", "according")]),
    # pronouns and "the agency" refer back
    ("Олександр Прокудін заявив про евакуацію. За його словами, виїхали 200 людей.", "uk",
     [("Олександр Прокудін", "subject"), ("Олександр Прокудін", "pronoun")]),
    ("Минобороны России заявило об ударе. По данным ведомства, уничтожены 4 танка.", "ru",
     [("Минобороны России", "subject"), ("Минобороны России", "according")]),
    ("Губернатор Гусев сообщил об атаке. Позднее он уточнил, что пострадавших нет.", "ru",
     [("Александр Гусев", "subject"), ("Александр Гусев", "subject")]),
    # "about this" attributes what came before
    ("Уночі дрон влучив у гараж. Загорілося авто. Про це повідомили в Чернігівській ОВА.", "uk",
     [("Чернігівська ОВА", "back_reference"), ("Чернігівська ОВА", "back_reference"),
      ("Чернігівська ОВА", "back_reference")]),
    ("Над регионом сбит беспилотник. Об этом сообщил Александр Богомаз.", "ru",
     [("Александр Богомаз", "back_reference"), ("Александр Богомаз", "back_reference")]),
    # the story turns away, or speaks in its own voice
    ("Генштаб ЗСУ повідомив про 150 боїв. Тим часом у Харкові пролунали вибухи.", "uk",
     [("Генштаб ЗСУ", "subject"), None]),
    ("Три ракети влучили в центр міста, загинули дев'ятеро людей.", "uk", [None]),
    ("Колонна техники прошла через село.", "ru", [None]),
])
def test_claimants(text, lang, expected):
    assert claimants(text, lang) == expected


def test_claimants_stay_in_their_paragraph():
    text = "Сумська ОВА: обстріляно три громади.\nУ Києві відкрили новий міст."
    assert claimants(text, "uk") == [("Сумська ОВА", "header"), None]


def test_a_government_speaking_is_not_carried():
    text = "У Москві заявили про готовність до переговорів. Ракета влучила в будинок у Харкові."
    found = find_claimants(text, split_sentences(text), "uk")
    assert (found[0].claimant.name, found[0].claimant.kind) == ("Москва", "government")
    assert found[1].claimant is None


def test_several_speakers_in_one_sentence():
    text = "Київ заявив про 20 збитих дронів, тоді як Міноборони Росії повідомило про 5."
    (claim,) = find_claimants(text, split_sentences(text), "uk")
    assert [s.name for s in claim.speakers] == ["Київ", "Міноборони Росії"]
    assert claimant_at(claim, text.index("20")).name == "Київ"
    assert claimant_at(claim, text.index("про 5")).name == "Міноборони Росії"


def test_spans_and_the_english_record():
    text = "Бої тривають, повідомив речник Сил оборони півдня Владислав Волошин."
    (claim,) = find_claimants(text, split_sentences(text), "uk")
    span = claim.claimant
    assert text[span.start:span.end] == span.text == "речник Сил оборони півдня Владислав Волошин"
    assert span.name == "Владислав Волошин" and span.kind == "person"
    record = claim.as_attribution()
    assert isinstance(record, Attribution)
    assert (record.claimant, record.claimant_text, record.how) == ("Владислав Волошин", span.text, "inverted")


def test_quote_then_a_dash_attribution():
    text = "«Ми тримаємо позиції». — заявив командир батальйону."
    claims = find_claimants(text, split_sentences(text), "uk")
    assert [c.claimant.text if c.claimant else None for c in claims] == ["командир батальйону"] * len(claims)


def test_about_this_with_words_between():
    text = "Ракета влучила в склад. Про це у своєму Telegram-каналі повідомив голова ОВА Іван Федоров."
    assert claimants(text, "uk") == [("Іван Федоров", "back_reference")] * 2
