"""The offline gazetteer as a geopy geocoder.

Existing geopy code (and `geopy.extra.rate_limiter.RateLimiter`) can swap
Nominatim for the offline gazetteer without changes: `geocode()` returns a
`geopy.location.Location` whose `raw` is the gazetteer's result dict.
"""

from __future__ import annotations

from typing import Any, Sequence

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geoevents.places.gazetteer import Gazetteer


def _address(result: dict[str, Any]) -> str:
    parts = [result["name"]]
    if result.get("admin1_name") and result["admin1_name"] != result["name"]:
        parts.append(result["admin1_name"])
    if result.get("country_code"):
        parts.append(result["country_code"])
    return ", ".join(parts)


def _location(result: dict[str, Any]) -> Location:
    return Location(_address(result), (result["latitude"], result["longitude"]), result)


class GazetteerGeocoder(Geocoder):
    """geopy geocoder backed by the offline GeoNames gazetteer (no network)."""

    def __init__(self, gazetteer: Gazetteer | None = None, *,
                 country: Sequence[str] | str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer or Gazetteer.default()
        self.country = country

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None,
                country: Sequence[str] | str | None = None, near: Any = None,
                within: str | None = None, fuzzy: bool = True):
        """Location (or list of Locations when exactly_one=False); None if unresolved.

        `timeout` is accepted for geopy compatibility and ignored: nothing goes
        over the network."""
        result = self.gazetteer.lookup(query, country=country or self.country, near=near,
                                       within=within, fuzzy=fuzzy)
        if result["error"] is not None:
            return None
        if exactly_one:
            return _location(result)
        return [_location(c) for c in result["candidates"]] or [_location(result)]

    def reverse(self, query, *, exactly_one: bool = True, timeout: Any = None,
                min_population: int = 0):
        """Nearest populated place(s) to a (lat, lon) point or 'lat, lon' string."""
        from geopy.point import Point

        point = Point(query)
        places = self.gazetteer.nearest_places(point.latitude, point.longitude,
                                               n=1 if exactly_one else 5,
                                               min_population=min_population)
        if not places:
            return None
        locations = [_location(p) for p in places]
        return locations[0] if exactly_one else locations
