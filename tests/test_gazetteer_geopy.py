"""The gazetteer as a geopy geocoder, including through RateLimiter."""

from __future__ import annotations

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geoevents.places.geopy_geocoder import GazetteerGeocoder


def test_is_a_geopy_geocoder_returning_locations():
    geocoder = GazetteerGeocoder()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Sudzha")
    assert isinstance(location, Location)
    assert abs(location.latitude - 51.19) < 0.05 and abs(location.longitude - 35.27) < 0.05
    assert location.raw["admin1_code"] == "RU-KRS"
    assert location.raw["source"] == "gazetteer"
    assert "Kursk Oblast" in location.address


def test_exactly_one_false_lists_candidates():
    locations = GazetteerGeocoder().geocode("Mykolaivka", exactly_one=False)
    assert isinstance(locations, list) and len(locations) >= 5
    assert all(isinstance(loc, Location) for loc in locations)
    single = GazetteerGeocoder().geocode("Kursk", exactly_one=False)
    assert len(single) >= 1 and single[0].raw["name"] == "Kursk"


def test_unresolved_is_none():
    assert GazetteerGeocoder().geocode("Qwxzvbnmplk") is None
    assert GazetteerGeocoder().geocode("") is None


def test_works_through_rate_limiter():
    geocoder = GazetteerGeocoder()
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0.01, max_retries=0)
    names = ["Kursk", "Kharkiv Oblast", "Суджа"]
    locations = [geocode(name) for name in names]
    assert [loc.raw["admin1_code"] for loc in locations] == ["RU-KRS", "UA-63", "RU-KRS"]
    assert locations[1].raw["feature"] == "admin1"


def test_hints_pass_through_and_reverse():
    geocoder = GazetteerGeocoder(country="UA")
    assert geocoder.geocode("Kursk") is None
    assert geocoder.geocode("Mykolaivka", within="UA-51").raw["admin1_code"] == "UA-51"
    nearest = geocoder.reverse("51.19, 35.27")
    assert nearest.raw["name"] == "Sudzha"
