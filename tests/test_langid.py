"""Language detection per document and per paragraph (geoevents.extract.langid), on sentences
written for these tests and on the frozen evaluation passages (dev part; held-out is scored by
bench/eval_uk_ru.py, not here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geoevents.extract.langid import detect_language, detect_paragraphs, language_at

GOLD = Path(__file__).parent / "data" / "geoparse" / "gold.json"

UKRAINIAN = [
    "Ворог продовжує штурмувати позиції поблизу Торецька.",
    "Уночі над областю збили дев'ять ударних дронів.",
    "Бої тривають",
    "Поранено трьох цивільних.",
    "Евакуація з прикордонних сіл триває третій день",
    "Сили оборони відбили атаку на південь від міста",
    "Генштаб ЗСУ: противник атакував 12 разів",
    "Рятувальники працюють на місці влучання",
    "Ситуація складна, але контрольована, зазначив речник",
    "Обʼєкт інфраструктури пошкоджено",
]
RUSSIAN = [
    "Противник продолжает наступать на Курахово.",
    "Ночью над регионом уничтожены восемь беспилотников.",
    "Бои продолжаются",
    "Пострадавших нет, сообщил глава района.",
    "Эвакуация жителей приграничных сел идет третьи сутки",
    "Подразделения заняли выгодные рубежи",
    "Об этом заявили в ведомстве",
    "Спасатели работают на месте попадания",
    "Ситуация сложная, но контролируемая",
    "Объявлен режим ЧС",
]
ENGLISH = [
    "Shelling hit the town on Thursday, officials said.",
    "The governor said two people were wounded in the attack.",
    "Fighting continues near the border",
]


@pytest.mark.parametrize("line", UKRAINIAN)
def test_short_ukrainian_lines(line):
    assert detect_language(line).lang == "uk"


@pytest.mark.parametrize("line", RUSSIAN)
def test_short_russian_lines(line):
    assert detect_language(line).lang == "ru"


@pytest.mark.parametrize("line", ENGLISH)
def test_english_lines(line):
    assert detect_language(line).lang == "en"


@pytest.mark.parametrize("line, lang", [
    ("Der Angriff dauerte die ganze Nacht", "other"),     # Latin script, not English
    ("Ўначы над горадам чуліся выбухі", "other"),          # Belarusian ў
    ("Премиерът заяви, че България ще помогне", "other"),  # Bulgarian ъ before a consonant
    ("12:45", "other"),                                     # no letters at all
])
def test_other_languages_are_not_forced_into_uk_or_ru(line, lang):
    assert detect_language(line).lang == lang


def test_no_evidence_falls_back_to_the_default():
    guess = detect_language("Курахово", default="uk")
    assert (guess.lang, guess.confidence) == ("uk", 0.0)
    assert detect_language("Курахово").confidence == 0.0


def test_mixed_document_per_paragraph():
    text = ("Генштаб ЗСУ повідомив, що ворог атакував поблизу Покровська.\n"
            "\n"
            "В Минобороны России заявили, что войска продвинулись к Покровску.\n"
            "The General Staff said on Friday that fighting continued.\n"
            "Покровськ\n")
    spans = detect_paragraphs(text)
    assert [span.lang for span in spans] == ["uk", "ru", "en", "uk"]  # a bare name takes the document's
    assert text[spans[1].start:spans[1].end].startswith("В Минобороны")
    assert language_at(spans, text.index("Минобороны")) == "ru"
    assert language_at(spans, text.index("General")) == "en"


def test_every_dev_passage_of_the_evaluation_sets():
    passages = json.loads(GOLD.read_text(encoding="utf-8"))["passages"]
    dev = [p for p in passages if p["split"] == "dev"]
    assert len(dev) > 150
    wrong = [p["id"] for p in dev if detect_language(p["text"]).lang != p["lang"]]
    assert wrong == []
