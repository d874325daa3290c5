"""`geoevents extract` end to end: text, HTML and stdin in; YAML and JSON drafts out; errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from geoevents.cli import main

CORPUS = Path(__file__).parent / "data" / "corpus" / "gold.json"
CONTRACT_FIELDS = {"query", "name", "latitude", "longitude", "country_code", "admin1_code", "admin1_name",
                   "feature", "population", "geonames_id", "score", "ambiguous", "candidates", "source", "error"}


@pytest.fixture(scope="module")
def story() -> str:
    passages = {p["id"]: p for p in json.loads(CORPUS.read_text(encoding="utf-8"))["passages"]}
    return "\n".join(passages[key]["text"] for key in ("kharkiv-vovchansk", "mykolaivka-donetsk", "odesa-port"))


def test_text_to_yaml_draft_with_summary(tmp_path: Path, story: str) -> None:
    article = tmp_path / "story.txt"
    article.write_text(story, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "--published", "2024-11-18", "--source",
                                       "Test Wire", "--url", "https://example.org/story", "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert "Vovchansk -> Vovchansk [place] Kharkiv Oblast" in result.output
    assert "Ambiguous names" in result.output and "Mykolaivka" in result.output
    assert "Oleh Kiper:" in result.output
    # Vovchansk lies about 5 km from the Russian border; the summary states that distance
    from geoevents.regions.borders import border_distance

    near_border = border_distance(50.29078, 36.94108)["border_distance_km"]
    assert 2 <= near_border <= 8
    assert f"Vovchansk -> Vovchansk [place] Kharkiv Oblast, UA, {near_border:.0f} km from the RU border" \
        in result.output
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["source"] == "Test Wire" and data["published"] == "2024-11-18"
    assert data["source_url"] == "https://example.org/story"
    events = data["events"]
    assert events and all(e["review"] is True and e["evidence"] in story for e in events)
    odesa = [e for e in events if e.get("place") == "Odesa" and e.get("figure") == 10]
    assert odesa and odesa[0]["claimant"] == "Oleh Kiper" and odesa[0]["status"] == "claimed"
    assert odesa[0]["date"] == "2024-11-18"


def test_draft_loads_with_the_events_reader_once_reviewed(tmp_path: Path, story: str) -> None:
    """The draft is the events file format: after review (drop the draft-only keys) it loads."""
    from geoevents.events.read import read_events

    article = tmp_path / "story.txt"
    article.write_text(story, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    assert CliRunner().invoke(main, ["extract", str(article), "--published", "2024-11-18", "-o", str(draft),
                                     "--source", "Test Wire", "--quiet"]).exit_code == 0
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    for event in data["events"]:
        for key in ("evidence", "review", "date_text"):
            event.pop(key, None)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    frame = read_events(reviewed)
    assert len(frame) == len(data["events"])
    assert set(frame["admin1_code"]) == {"UA-63", "UA-14", "UA-51"}  # Vovchansk, Mykolaivka, Odesa


def test_unreviewed_draft_validates_with_a_warning_per_event(tmp_path: Path, story: str) -> None:
    """A fresh draft is a valid events file, but every event is flagged until reviewed,
    and the article sentence kept as evidence never reaches the loaded frame."""
    from geoevents.events.read import read_events

    article = tmp_path / "story.txt"
    article.write_text(story, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    assert CliRunner().invoke(main, ["extract", str(article), "--published", "2024-11-18", "-o", str(draft),
                                     "--source", "Test Wire", "--quiet"]).exit_code == 0
    count = len(yaml.safe_load(draft.read_text(encoding="utf-8"))["events"])
    result = CliRunner().invoke(main, ["validate", str(draft), "--format", "json"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)  # one report per file, in a list
    review_warnings = [p for p in report["problems"] if p["field"] == "review"]
    assert report["errors"] == 0 and len(review_warnings) == count
    with pytest.warns(UserWarning, match="review: true"):
        frame = read_events(draft)
    assert "evidence" not in frame.columns and len(frame) == count


def test_html_to_json_on_stdout(tmp_path: Path) -> None:
    html = ("<!doctype html><html><head><meta property='article:published_time' content='2024-12-06T08:00:00Z'>"
            "<meta property='og:site_name' content='Test Wire'><style>p{}</style></head><body>"
            "<p>SUMY — Glide bombs struck Hlukhiv on Thursday, the regional administration said.</p>"
            "<p>It said 4 people were wounded.</p><script>var place = 'Kyiv';</script></body></html>")
    article = tmp_path / "story.html"
    article.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["published"] == "2024-12-06" and data["source"] == "Test Wire"
    by_text = {m["text"]: m for m in data["mentions"]}
    assert set(by_text) == {"SUMY", "Hlukhiv"}  # nothing from <script>
    assert by_text["SUMY"]["role"] == "dateline" and by_text["Hlukhiv"]["role"] == "event_location"
    assert CONTRACT_FIELDS <= set(by_text["Hlukhiv"])
    assert by_text["Hlukhiv"]["admin1_code"] == "UA-59"
    wounded = [e for e in data["events"] if e.get("figure_unit") == "wounded"]
    assert wounded and wounded[0]["claimant"] == "regional administration"
    assert "Places" in result.stderr  # the summary stays off stdout


def test_stdin_with_the_installed_command(story: str) -> None:
    command = [str(Path(sys.executable).with_name("geoevents")), "extract", "-", "--published", "2024-11-18",
               "--format", "json"]
    done = subprocess.run(command, input=story, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = {m["name"] for m in json.loads(done.stdout)["mentions"]}
    passages = {p["id"]: p for p in json.loads(CORPUS.read_text(encoding="utf-8"))["passages"]}
    gold = {m["geonames_name"] for key in ("kharkiv-vovchansk", "mykolaivka-donetsk", "odesa-port")
            for m in passages[key]["mentions"] if m.get("geonames_name")}
    assert gold == {"Kharkiv", "Vovchansk", "Lyptsi", "Mykolaivka", "Slovyansk", "Siversk", "Odesa"}
    assert gold <= found  # every gold place of the three passages, read from stdin
    assert "Places" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "2024-13-01"], "not an ISO day"),
        ([], "no publication date"),
        (["--published", "2024-11-18", "--url", "ftp://x"], "not an http(s) URL"),
    ],
)
def test_bad_input_fails_clearly_without_output(tmp_path: Path, story: str, args, message) -> None:
    article = tmp_path / "story.txt"
    article.write_text(story, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "-o", str(draft), *args])
    assert result.exit_code == 2  # usage: a bad or missing option
    assert message in result.output
    assert not draft.exists()


def test_missing_file_and_refused_overwrite(tmp_path: Path, story: str) -> None:
    missing = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.txt"), "--published", "2024-11-18"])
    assert missing.exit_code == 2 and "no such file" in missing.output
    article = tmp_path / "story.txt"
    article.write_text(story, encoding="utf-8")
    same = CliRunner().invoke(main, ["extract", str(article), "--published", "2024-11-18", "-o", str(article)])
    assert same.exit_code != 0 and "refusing to overwrite" in same.output
    assert article.read_text(encoding="utf-8") == story
    no_dir = CliRunner().invoke(main, ["extract", str(article), "--published", "2024-11-18",
                                       "-o", str(tmp_path / "missing" / "d.yaml")])
    assert no_dir.exit_code != 0 and "does not exist" in no_dir.output
    assert list(tmp_path.iterdir()) == [article]


def test_empty_and_undecodable_input(tmp_path: Path) -> None:
    empty = CliRunner().invoke(main, ["extract", "-", "--published", "2024-11-18"], input="  \n")
    assert empty.exit_code == 1 and "the article is empty" in empty.output
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Kyiv \u2014 caf\xe9".encode("latin-1", errors="replace"))
    bad = CliRunner().invoke(main, ["extract", str(latin1), "--published", "2024-11-18"])
    assert bad.exit_code == 1 and "not UTF-8" in bad.output and "latin1.txt" in bad.output
