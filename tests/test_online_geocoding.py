"""Online geocoding with the real geopy Nominatim client against a real local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geoevents.places.online import OnlineGeocoder, OnlineGeocodingError
from nominatim_server import MALFORMED, NominatimTestServer, Reply

CONTRACT_FIELDS = {
    "query", "name", "latitude", "longitude", "country_code", "admin1_code", "admin1_name",
    "feature", "population", "geonames_id", "score", "ambiguous", "candidates", "source", "error",
}
LOCATION_FIELDS = ("name", "latitude", "longitude", "country_code", "admin1_code", "admin1_name",
                   "feature", "population", "score")
USER_AGENT = "geoevents-test/1.0 (tests@example.org)"


@pytest.fixture
def server():
    with NominatimTestServer() as srv:
        yield srv


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "online-cache.sqlite"


def make_geocoder(server: NominatimTestServer, cache_path: Path, **options) -> OnlineGeocoder:
    settings = {"min_delay_seconds": 0.01, "timeout": 2.0, "max_retries": 2, "backoff_seconds": 0.05}
    settings.update(options)
    return OnlineGeocoder("nominatim", user_agent=USER_AGENT, url=server.url,
                          cache_path=cache_path, **settings)


def assert_error(result: dict, *fragments: str) -> None:
    assert set(result) == CONTRACT_FIELDS
    assert result["error"], result
    for fragment in fragments:
        assert fragment in result["error"], result["error"]
    assert all(result[name] is None for name in LOCATION_FIELDS)
    assert result["candidates"] == [] and result["ambiguous"] is False


# -- parsing into the contract ------------------------------------------------


def test_answers_are_parsed_into_the_result_contract(server, cache_path):
    geo = make_geocoder(server, cache_path)
    kursk, sudzha, oblast, ukraine = geo.lookup_many(["Kursk", "Sudzha", "Kharkiv Oblast", "Ukraine"])

    for result in (kursk, sudzha, oblast, ukraine):
        assert set(result) == CONTRACT_FIELDS
        assert result["source"] == "nominatim" and result["error"] is None
        assert result["geonames_id"] is None
        assert 0.0 <= result["score"] <= 1.0

    assert sudzha["name"] == "Sudzha" and sudzha["query"] == "Sudzha"
    assert sudzha["latitude"] == pytest.approx(51.1906, abs=1e-3)
    assert sudzha["longitude"] == pytest.approx(35.2711, abs=1e-3)
    assert (sudzha["country_code"], sudzha["admin1_code"], sudzha["admin1_name"]) == (
        "RU", "RU-KRS", "Kursk Oblast")
    assert sudzha["feature"] == "place" and sudzha["population"] == 5443
    assert sudzha["score"] == pytest.approx(0.4302)
    assert sudzha["candidates"] == [] and sudzha["ambiguous"] is False

    # Kursk city and Kursk Oblast both come back: candidates, but one region -> not ambiguous.
    assert kursk["feature"] == "place" and kursk["population"] == 440052
    assert [c["name"] for c in kursk["candidates"]] == ["Kursk", "Kursk Oblast"]
    assert [c["feature"] for c in kursk["candidates"]] == ["place", "admin1"]
    assert all(set(c) == CONTRACT_FIELDS for c in kursk["candidates"])
    assert kursk["ambiguous"] is False

    assert (oblast["feature"], oblast["admin1_code"], oblast["country_code"]) == ("admin1", "UA-63", "UA")
    assert oblast["population"] is None
    assert (ukraine["feature"], ukraine["country_code"], ukraine["admin1_code"]) == ("country", "UA", None)

    # What geopy actually asked for.
    params = server.hits_for("Sudzha")[0].params
    assert params["format"] == "json" and params["addressdetails"] == "1"
    assert params["accept-language"] == "en" and int(params["limit"]) > 1
    assert server.hits_for("Sudzha")[0].path == "/search"


def test_several_places_in_different_regions_are_ambiguous_and_country_hint_narrows(server, cache_path):
    geo = make_geocoder(server, cache_path)
    plain = geo.lookup("Pokrovsk")
    assert plain["ambiguous"] is True
    assert [(c["country_code"], c["admin1_code"]) for c in plain["candidates"]] == [
        ("UA", "UA-14"), ("RU", "RU-SA")]
    assert plain["admin1_code"] == "UA-14"  # the top pick is still filled in

    hinted = geo.lookup("Pokrovsk", country=["ru"])
    assert (hinted["admin1_code"], hinted["ambiguous"]) == ("RU-SA", False)
    assert server.hits_for("Pokrovsk")[-1].params["countrycodes"] == "ru"
    # The hint is part of the cache key: two different questions, two requests.
    assert len(server.hits_for("Pokrovsk")) == 2

    none = geo.lookup("Sudzha", country="UA")
    assert_error(none, "not found", "Sudzha", "UA")


def test_user_agent_header_reaches_the_server(server, cache_path):
    make_geocoder(server, cache_path).lookup("Kursk")
    assert server.hits[0].headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("agent", [None, "", "   ", "geopy/2.5.0", "my-application",
                                   "specify_your_app_name_here", "geoevents"])
def test_empty_or_default_user_agent_is_refused(server, cache_path, agent):
    with pytest.raises(OnlineGeocodingError, match="user agent"):
        OnlineGeocoder("nominatim", user_agent=agent, url=server.url, cache_path=cache_path)
    assert server.hits == []


def test_bad_configuration_is_refused_clearly(cache_path):
    with pytest.raises(OnlineGeocodingError, match="unknown online provider"):
        OnlineGeocoder("google", user_agent=USER_AGENT, cache_path=cache_path)
    with pytest.raises(OnlineGeocodingError, match="http"):
        OnlineGeocoder(user_agent=USER_AGENT, url="ftp://example.org", cache_path=cache_path)
    with pytest.raises(OnlineGeocodingError, match="1 request per second"):
        OnlineGeocoder(user_agent=USER_AGENT, min_delay_seconds=0.2, cache_path=cache_path)
    with pytest.raises(OnlineGeocodingError, match="timeout"):
        OnlineGeocoder(user_agent=USER_AGENT, timeout=0, cache_path=cache_path)
    geo = OnlineGeocoder(user_agent=USER_AGENT, url="http://127.0.0.1:9/search/", cache_path=cache_path)
    assert geo.url == "http://127.0.0.1:9"
    with pytest.raises(OnlineGeocodingError, match="alpha-2"):
        geo.lookup_many(["Kursk"], country=["Ukraine"])
    with pytest.raises(OnlineGeocodingError, match="list of names"):
        geo.lookup_many("Kursk")


def test_garbage_queries_get_errors_without_requests(server, cache_path):
    geo = make_geocoder(server, cache_path)
    results = geo.lookup_many(["", "   ", "x" * 10_000, "Kur\x00sk", 42, "Kursk"])
    assert_error(results[0], "empty")
    assert_error(results[1], "empty")
    assert_error(results[2], "10000 characters")
    assert_error(results[3], "control characters")
    assert_error(results[4], "expected text")
    assert results[5]["error"] is None
    assert len(server.hits) == 1


# -- politeness: pacing and caching --------------------------------------------


def test_rate_limiter_spaces_requests(server, cache_path):
    geo = make_geocoder(server, cache_path, min_delay_seconds=0.2)
    names = ["Kursk", "Sudzha", "Kharkiv", "Sumy", "Ukraine"]
    geo.lookup_many(names)
    times = [hit.time for hit in server.hits]
    assert len(times) == len(names)
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert min(gaps) >= 0.19, gaps


def test_cache_hit_sends_no_request_even_from_a_new_instance_or_process(server, cache_path):
    first = make_geocoder(server, cache_path).lookup_many(["Kursk", "Sudzha", "Atlantis"])
    assert len(server.hits) == 3
    assert first[2]["error"].startswith("not found")  # negative answers are cached too

    again = make_geocoder(server, cache_path).lookup_many(["  KURSK ", "sudzha", "Atlantis"])
    assert len(server.hits) == 3
    assert again[0]["query"] == "  KURSK "
    assert {k: v for k, v in again[1].items() if k != "query"} == {
        k: v for k, v in first[1].items() if k != "query"}
    assert again[2]["error"].startswith("not found")

    script = (
        "import json, sys\n"
        "from geoevents.places.online import OnlineGeocoder\n"
        f"geo = OnlineGeocoder(user_agent={USER_AGENT!r}, url={server.url!r}, "
        f"cache_path={str(cache_path)!r}, min_delay_seconds=0)\n"
        "print(json.dumps(geo.lookup_many(['Sudzha', 'Kursk'])))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, check=True)
    other = json.loads(out.stdout)
    assert [r["admin1_code"] for r in other] == ["RU-KRS", "RU-KRS"]
    assert len(server.hits) == 3


# -- failures -------------------------------------------------------------------


def test_429_is_retried_with_backoff_then_succeeds(server, cache_path):
    server.script("Sumy", Reply(status=429, headers={"Retry-After": "0"}))
    geo = make_geocoder(server, cache_path, backoff_seconds=0.3)
    result = geo.lookup("Sumy")
    assert result["error"] is None and result["admin1_code"] == "UA-59"
    hits = server.hits_for("Sumy")
    assert len(hits) == 2
    assert hits[1].time - hits[0].time >= 0.29


def test_retry_after_is_honoured(server, cache_path):
    server.script("Sumy", Reply(status=429, headers={"Retry-After": "1"}))
    result = make_geocoder(server, cache_path, backoff_seconds=0.05).lookup("Sumy")
    assert result["error"] is None
    first, second = server.hits_for("Sumy")
    assert second.time - first.time >= 0.95


def test_long_retry_after_gives_up_at_once_and_stops_sending(server, cache_path):
    server.always("Sumy", Reply(status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    results = make_geocoder(server, cache_path).lookup_many(["Sumy", "Kursk"])
    assert time.monotonic() - started < 2.0
    assert_error(results[0], "HTTP 429", "3600 s", "try again later")
    assert_error(results[1], "not tried", "rate limiting")
    assert len(server.hits) == 1


def test_persistent_5xx_is_an_error_and_others_still_resolve(server, cache_path):
    server.always("Kharkiv", Reply(status=500))
    server.always("Sumy", Reply(status=503))
    geo = make_geocoder(server, cache_path, max_retries=2)
    results = geo.lookup_many(["Kursk", "Kharkiv", "Sumy", "Sudzha"])
    assert results[0]["admin1_code"] == "RU-KRS" and results[3]["admin1_code"] == "RU-KRS"
    assert_error(results[1], "HTTP 500", "Internal Server Error", server.url, "3 attempts")
    assert_error(results[2], "HTTP 503", "Service Unavailable", "3 attempts")
    assert len(server.hits_for("Kharkiv")) == 3 and len(server.hits_for("Sumy")) == 3

    # Failures are not cached: once the provider recovers, the query is asked again.
    server.always("Kharkiv", Reply())
    assert make_geocoder(server, cache_path).lookup("Kharkiv")["admin1_code"] == "UA-63"


def test_timeout_is_an_error_and_others_still_resolve(server, cache_path):
    server.always("Sumy", Reply(sleep=1.5))
    geo = make_geocoder(server, cache_path, timeout=0.3, max_retries=1)
    started = time.monotonic()
    results = geo.lookup_many(["Kursk", "Sumy", "Sudzha"])
    assert time.monotonic() - started < 3.0
    assert_error(results[1], "timeout", "0.3 s", "2 attempts")
    assert results[0]["error"] is None and results[2]["error"] is None


def test_malformed_json_is_an_error_not_retried_not_cached(server, cache_path):
    server.script("Sumy", MALFORMED)
    geo = make_geocoder(server, cache_path)
    results = geo.lookup_many(["Sumy", "Kursk"])
    assert_error(results[0], "malformed response", "not valid JSON")
    assert results[1]["error"] is None
    assert len(server.hits_for("Sumy")) == 1
    assert geo.lookup("Sumy")["admin1_code"] == "UA-59"  # asked again, now answered


def test_answer_of_the_wrong_shape_is_malformed(server, cache_path):
    server.script("Sumy", Reply(body='[{"place_id": 1, "lat": "north", "lon": "east"}]'))
    assert_error(make_geocoder(server, cache_path).lookup("Sumy"), "malformed response")


def test_persistent_429_stops_sending(server, cache_path):
    server.always("Kursk", Reply(status=429))
    server.always("Sudzha", Reply(status=429))
    results = make_geocoder(server, cache_path, max_retries=1).lookup_many(["Kursk", "Sudzha", "Sumy"])
    assert_error(results[0], "HTTP 429", "rate limited", "2 attempts")
    assert_error(results[1], "not tried", "rate limiting")
    assert_error(results[2], "not tried", "rate limiting")
    assert len(server.hits) == 2


def test_access_refused_stops_sending(server, cache_path):
    server.always("Kursk", Reply(status=403))
    results = make_geocoder(server, cache_path).lookup_many(["Kursk", "Sumy"])
    assert_error(results[0], "HTTP 403", "user agent")
    assert_error(results[1], "not tried", "refused access")
    assert len(server.hits) == 1


def test_server_shut_down_mid_list_keeps_what_was_resolved(server, cache_path):
    names = ["Kursk", "Sudzha", "Kharkiv", "Sumy", "Ukraine"]
    seen = []

    def on_result(result: dict) -> None:
        seen.append(result)
        if len(seen) == 2:
            server.stop()

    geo = make_geocoder(server, cache_path)
    results = geo.lookup_many(names, on_result=on_result)
    assert seen == results and [r["query"] for r in results] == names
    assert [r["admin1_code"] for r in results[:2]] == ["RU-KRS", "RU-KRS"]
    assert_error(results[2], "connection refused", server.url, "provider unreachable")
    for result in results[3:]:
        assert_error(result, "not tried: provider unreachable (connection refused")

    # Nothing resolved was lost: with the provider still down, the cache answers.
    again = make_geocoder(server, cache_path).lookup_many(names)
    assert [r["error"] for r in again[:2]] == [None, None]
    assert again[0]["latitude"] == results[0]["latitude"]
    assert all(r["error"] for r in again[2:])


def test_provider_down_from_the_start(cache_path):
    with NominatimTestServer() as gone:
        url = gone.url
    geo = OnlineGeocoder(user_agent=USER_AGENT, url=url, cache_path=cache_path,
                         min_delay_seconds=0.01, backoff_seconds=0.01)
    results = geo.lookup_many(["Kursk", "Sudzha", "Sumy"])
    assert_error(results[0], "connection refused", "2 attempts")
    assert_error(results[1], "not tried: provider unreachable")
    assert geo.last_stats["requests"] == 2


# -- command line: geoevents geocode --provider nominatim ----------------------------


def _geoevents(*args: str, cache_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache_dir)}
    command = "from geoevents.cli import main; main(prog_name='geoevents')"
    return subprocess.run([sys.executable, "-c", command, *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_cli_geocodes_with_nominatim(server, tmp_path):
    run = _geoevents("geocode", "--provider", "nominatim", "--provider-url", server.url,
                     "--user-agent", "geoevents-test", "--min-delay", "0.01",
                     "Kursk", "Sudzha", "--format", "json", cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert [r["query"] for r in results] == ["Kursk", "Sudzha"]
    for result in results:
        assert set(result) >= CONTRACT_FIELDS
        assert (result["source"], result["error"], result["admin1_code"]) == ("nominatim", None, "RU-KRS")
    assert results[1]["latitude"] == pytest.approx(51.1906, abs=1e-3)
    assert {hit.headers["User-Agent"] for hit in server.hits} == {"geoevents-test"}
    assert (tmp_path / "online-cache.sqlite").is_file()


def test_cli_refuses_nominatim_without_user_agent(server, tmp_path):
    run = _geoevents("geocode", "--provider", "nominatim", "--provider-url", server.url,
                     "Kursk", "--format", "json", cache_dir=tmp_path)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "--provider nominatim needs --user-agent" in run.stderr
    assert "Traceback" not in run.stderr
    assert server.hits == []


def test_cli_server_down_exits_3_and_still_prints_what_resolved(server, tmp_path):
    common = ["geocode", "--provider", "nominatim", "--provider-url", server.url,
              "--user-agent", "geoevents-test", "--min-delay", "0.01", "--format", "json"]
    first = _geoevents(*common, "Kursk", cache_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    server.stop()

    run = _geoevents(*common, "Kursk", "Sudzha", "Sumy", cache_dir=tmp_path)
    assert run.returncode == 3, (run.stdout, run.stderr)
    results = json.loads(run.stdout)
    assert [r["query"] for r in results] == ["Kursk", "Sudzha", "Sumy"]
    assert (results[0]["error"], results[0]["admin1_code"]) == (None, "RU-KRS")
    assert "connection refused" in results[1]["error"]
    assert results[2]["error"].startswith("not tried: provider unreachable")
    assert "Traceback" not in run.stderr


def test_unwritable_cache_location_is_a_clear_configuration_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(OnlineGeocodingError, match="cannot open the online geocoding cache"):
        OnlineGeocoder(user_agent=USER_AGENT, cache_path=blocker / "online-cache.sqlite")
