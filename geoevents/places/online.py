"""Opt-in online geocoding through geopy's Nominatim client: polite and loss-free.

Why this module exists: the offline gazetteer is the default, but some names
(streets, new settlements, places outside GeoNames) need an online provider.
Public providers have strict usage policies (Nominatim: a real user agent, at
most one request per second, no repeated queries), networks fail, and a long
list must not be thrown away because request 57 timed out. So:

* requests go through the real ``geopy.geocoders.Nominatim`` client, paced
  across processes by a file lock per endpoint (:mod:`geoevents.places.online_locks`;
  geopy's RateLimiter paces one process only);
* every answer (including "no match") is parsed, then stored verbatim in an
  SQLite cache (:mod:`geoevents.places.cache`); a name being fetched by one
  process is locked, so another process waits and reads the cached answer
  instead of asking again;
* replies are read with bounds (size, nesting depth, strict JSON): a reply of
  any shape is at worst an ``error`` for that one name;
* failures become an ``error`` string in the result, never an exception out of
  :meth:`OnlineGeocoder.lookup_many`; when the provider is clearly unreachable,
  blocking us, or rate limiting us, we stop sending and say so for every
  remaining query.

Results follow the RESULT CONTRACT shared with the gazetteer (see
``notes/CONTRACTS.md``): ``source`` is ``"nominatim"``, ``geonames_id`` is null.
"""

from __future__ import annotations

import errno
import http
import math
import socket
import sqlite3
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geoevents.places.cache import ResponseCache

__all__ = ["OnlineGeocoder", "OnlineGeocodingError", "PROVIDERS", "PUBLIC_NOMINATIM_URL"]

PROVIDERS = ("nominatim",)
PUBLIC_NOMINATIM_URL = "https://nominatim.openstreetmap.org"
_PUBLIC_NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
_PUBLIC_MIN_DELAY = 1.0  # Nominatim usage policy: an absolute maximum of 1 request per second
MAX_QUERY_CHARS = 500  # longer "names" are garbage input, not something to send anywhere
MAX_WAIT_SECONDS = 60.0  # longest Retry-After we honour before giving up on the provider
MAX_REPLY_BYTES = 2_000_000  # a Nominatim answer of 5 places with details is a few kB
MAX_REPLY_DEPTH = 16  # list -> place -> address/extratags -> value needs 3
MAX_DETAIL_CHARS = 200  # provider text quoted in an error message is cut to this
# Sample user agents from geopy's documentation that people paste unchanged.
_SAMPLE_USER_AGENTS = frozenset(
    {"my-application", "my_app/1", "my_user_agent/1.0", "specify_your_app_name_here"}
)

OnResult = Callable[[dict[str, Any]], None]


class OnlineGeocodingError(ValueError):
    """Bad configuration of an online geocoder (user agent, URL, provider, hints).

    Network and provider failures are never raised; they go into ``error``."""


# ---------------------------------------------------------------------------
# Configuration checks


def _check_user_agent(user_agent: str | None) -> str:
    """Refuse user agents that do not identify the application (Nominatim policy)."""
    from geopy.geocoders import options

    agent = (user_agent or "").strip()
    how = (
        "pass one that names your application and a contact, e.g. "
        "--user-agent 'newsroom-maps/1.0 (desk@example.org)'; Nominatim's usage policy "
        "(https://operations.osmfoundation.org/policies/nominatim/) requires it"
    )
    if not agent:
        raise OnlineGeocodingError(f"online geocoding needs a user agent: {how}")
    if any(unicodedata.category(ch) == "Cc" for ch in agent):
        raise OnlineGeocodingError("the user agent contains control characters; " + how)
    lowered = agent.lower()
    default = str(options.default_user_agent).lower()
    if (
        lowered == default
        or lowered in _SAMPLE_USER_AGENTS
        or lowered.startswith(("geopy/", "python-urllib/", "python-requests/"))
        or lowered in {"geoevents", "geoevents/" + _version().lower()}
    ):
        raise OnlineGeocodingError(
            f"the user agent {agent!r} is a library default or documentation sample, "
            f"shared by many users and blocked by Nominatim: {how}"
        )
    return agent


def _version() -> str:
    from geoevents import __version__

    return __version__


@dataclass(frozen=True)
class _Endpoint:
    """Where the provider lives, split the way geopy wants it."""

    scheme: str
    domain: str  # host[:port][/path prefix], as geopy's Nominatim(domain=...) expects

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @property
    def is_public_nominatim(self) -> bool:
        return self.domain.lower() == _PUBLIC_NOMINATIM_DOMAIN

    @property
    def is_loopback(self) -> bool:
        host = urlsplit(self.url).hostname or ""
        return host in {"localhost", "::1"} or host.startswith("127.")


def _parse_url(url: str | None) -> _Endpoint:
    """Split a base URL such as http://127.0.0.1:8765 into scheme and domain."""
    parts = urlsplit((url or PUBLIC_NOMINATIM_URL).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OnlineGeocodingError(
            f"provider URL {url!r} is not an http(s) base URL such as "
            "https://nominatim.openstreetmap.org or http://127.0.0.1:8080"
        )
    if parts.query or parts.fragment:
        raise OnlineGeocodingError(
            f"provider URL {url!r} must be a base URL without '?query' or '#fragment'"
        )
    path = parts.path.rstrip("/")
    if path.endswith("/search"):  # people paste the endpoint; geopy adds /search itself
        path = path[: -len("/search")]
    return _Endpoint(parts.scheme, parts.netloc + path)


def _country_hint(country: Sequence[str] | str | None) -> tuple[str, ...]:
    """Normalise a country hint ('UA,RU', ['ua', 'RU']) to upper-case alpha-2 codes."""
    if country is None:
        return ()
    items = country.split(",") if isinstance(country, str) else list(country)
    codes = []
    for item in items:
        code = str(item).strip().upper()
        if not code:
            continue
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise OnlineGeocodingError(
                f"country hint {item!r} is not an ISO 3166-1 alpha-2 code such as UA or RU"
            )
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _query_problem(query: object) -> str | None:
    """Why a query must not be sent at all (garbage input), or None."""
    if not isinstance(query, str):
        return f"invalid query: expected text, got {type(query).__name__}"
    text = " ".join(query.split())
    if not text:
        return "invalid query: empty name"
    if len(text) > MAX_QUERY_CHARS:
        return f"invalid query: {len(text)} characters long (at most {MAX_QUERY_CHARS})"
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        return "invalid query: contains control characters"
    return None


# ---------------------------------------------------------------------------
# Failure classification


@dataclass(frozen=True)
class _Failure:
    kind: str  # refused | unreachable | timeout | rate_limited | http | denied | malformed | rejected | network | other
    detail: str
    retryable: bool
    status: int | None = None
    retry_after: float | None = None


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (cause, context, .reason, args)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += list(getattr(current, "args", ()))
        stack.extend(item for item in linked if isinstance(item, BaseException))


def _classify(exc: BaseException, where: str, timeout: float) -> _Failure:
    """Turn a geopy/urllib exception into a reason a journalist can act on."""
    import http.client

    from geopy.adapters import AdapterHTTPError
    from geopy.exc import (
        GeocoderParseError,
        GeocoderQueryError,
        GeocoderRateLimited,
        GeocoderTimedOut,
    )

    chain = list(_exception_chain(exc))
    for item in chain:
        if isinstance(item, AdapterHTTPError):
            status = int(item.status_code)
            try:
                phrase = http.HTTPStatus(status).phrase
            except ValueError:
                phrase = "error"
            text = f"HTTP {status} {phrase} from {where}"
            if status == 429:
                retry_after = exc.retry_after if isinstance(exc, GeocoderRateLimited) else None
                return _Failure("rate_limited", text + ": rate limited", True, status, retry_after)
            if status in (401, 403):
                return _Failure("denied", text + ": access refused, check the user agent and "
                                "the provider's usage policy", False, status)
            if status >= 500 or status == 408:
                return _Failure("http", text, True, status)
            return _Failure("http", text, False, status)
    for item in chain:
        if isinstance(item, ConnectionRefusedError) or getattr(item, "errno", None) == errno.ECONNREFUSED:
            return _Failure("refused", f"connection refused by {where}", True)
    for item in chain:
        if isinstance(item, socket.gaierror):
            return _Failure("unreachable", f"cannot resolve the host of {where} ({item})", False)
        if getattr(item, "errno", None) in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return _Failure("unreachable", f"network unreachable for {where} ({item})", False)
    if any(isinstance(item, (GeocoderTimedOut, TimeoutError, socket.timeout)) for item in chain):
        return _Failure("timeout", f"timeout: {where} did not answer within {timeout:g} s", True)
    if isinstance(exc, GeocoderParseError):
        return _Failure("malformed", f"malformed response from {where}: {_cut(exc) or 'not valid JSON'}", False)
    if isinstance(exc, GeocoderQueryError):
        return _Failure("rejected", f"{where} rejected the query: {_cut(exc)}", False)
    if any(isinstance(item, (ConnectionError, http.client.HTTPException)) for item in chain):
        return _Failure("network", f"network error talking to {where}: {_cut(exc)}", True)
    return _Failure("other", f"error from {where}: {_cut(exc)}", False)


def _cut(value: object) -> str:
    """Text from a provider (or an exception quoting it) cut to MAX_DETAIL_CHARS."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 3] + "..."


# ---------------------------------------------------------------------------
# Parsing Nominatim answers into the result contract

_EMPTY_LOCATION: dict[str, Any] = {
    "name": None,
    "latitude": None,
    "longitude": None,
    "country_code": None,
    "admin1_code": None,
    "admin1_name": None,
    "feature": None,
    "population": None,
    "geonames_id": None,
    "score": None,
}


def _error_result(query: object, source: str, reason: str) -> dict[str, Any]:
    return {
        "query": query if isinstance(query, str) else repr(query),
        **_EMPTY_LOCATION,
        "ambiguous": False,
        "candidates": [],
        "source": source,
        "error": reason,
    }


def _text(value: Any, limit: int = 500) -> str | None:
    """A text field of an answer: a non-blank string of sane length, else None (never a dict or list)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text[:limit] if text else None


def _number(value: Any) -> float:
    """A number of an answer (Nominatim writes lat/lon as strings); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if isinstance(value, str) and len(value) > 40:
        raise ValueError(f"a number of {len(value)} characters")
    return float(value)


def _feature(raw: Mapping[str, Any]) -> str:
    """country / admin1 / place from Nominatim's addresstype, type and place_rank."""
    kinds = {(_text(raw.get("addresstype")) or "").lower(), (_text(raw.get("type")) or "").lower()}
    if "country" in kinds:
        return "country"
    if kinds & {"state", "province"}:
        return "admin1"
    rank = raw.get("place_rank")
    if raw.get("class") == "boundary" and isinstance(rank, int | float):
        if rank <= 4:
            return "country"
        if rank <= 8:
            return "admin1"
    return "place"


def _iso_subdivision(address: Mapping[str, Any]) -> str | None:
    """ISO 3166-2 code of the first-level region: lvl4, else the shallowest level given."""
    code = address.get("ISO3166-2-lvl4")
    if isinstance(code, str) and 0 < len(code) <= 12:
        return code.upper()
    levels = []
    for key, value in address.items():
        if key.startswith("ISO3166-2-lvl") and isinstance(value, str) and 0 < len(value) <= 12:
            try:
                levels.append((int(key.rsplit("lvl", 1)[1]), value.upper()))
            except ValueError:
                continue
    return min(levels)[1] if levels else None


def _population(raw: Mapping[str, Any]) -> int | None:
    extratags = raw.get("extratags")
    if not isinstance(extratags, Mapping):
        return None
    value = extratags.get("population")
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    digits = str(value).replace(" ", "").replace(",", "").replace("\u00a0", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


def _score(raw: Mapping[str, Any]) -> float:
    try:
        importance = _number(raw.get("importance"))
    except (TypeError, ValueError, OverflowError):
        return 0.0
    if math.isnan(importance):
        return 0.0
    return round(min(max(importance, 0.0), 1.0), 4)


def _coordinates(raw: object) -> tuple[float, float]:
    """Latitude and longitude of one answer; ValueError when the answer is malformed."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"expected a JSON object per place, got {type(raw).__name__}")
    lat, lon = _number(raw.get("lat")), _number(raw.get("lon"))
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"coordinates out of range: {lat:g}, {lon:g}")
    return lat, lon


def _place(raw: Mapping[str, Any], query: str, source: str) -> dict[str, Any]:
    lat, lon = _coordinates(raw)
    address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
    feature = _feature(raw)
    display = _text(raw.get("display_name")) or ""
    name = _text(raw.get("name")) or _text(display.split(",")[0])
    country = address.get("country_code")
    country_code = country.upper() if isinstance(country, str) and len(country) == 2 else None
    admin1_code = admin1_name = None
    if feature != "country":
        admin1_code = _iso_subdivision(address)
        admin1_name = _text(address.get("state")) or _text(address.get("province"))
        if feature == "admin1" and not admin1_name:
            admin1_name = name
    return {
        "query": query,
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "country_code": country_code,
        "admin1_code": admin1_code,
        "admin1_name": admin1_name,
        "feature": feature,
        "population": _population(raw),
        "geonames_id": None,
        "score": _score(raw),
        "ambiguous": False,
        "candidates": [],
        "source": source,
        "error": None,
    }


def _is_ambiguous(places: list[dict[str, Any]]) -> bool:
    """Several plausible places: another answer in a different region scores close to the top.

    A city and its own region (Kursk / Kursk Oblast) are not ambiguous; two
    Pokrovsks in different countries are."""
    top = places[0]
    where = (top["country_code"], top["admin1_code"])
    return any(
        (other["country_code"], other["admin1_code"]) != where
        and other["score"] >= 0.75 * top["score"]
        for other in places[1:]
    )


def parse_answer(query: str, answer: Any, countries: Sequence[str], source: str) -> dict[str, Any]:
    """A Nominatim /search JSON answer (list of places) -> one contract result."""
    if not answer:
        hint = f" in {','.join(countries)}" if countries else ""
        return _error_result(query, source, f"not found: {source} has no match for {query!r}{hint}")
    places = [_place(raw, query, source) for raw in answer]
    result = dict(places[0])
    if len(places) > 1:
        result["candidates"] = places
        result["ambiguous"] = _is_ambiguous(places)
    return result


def _validate_answer(answer: Any) -> list[dict[str, Any]]:
    """Raise ValueError unless the answer is a list of places with coordinates."""
    if not isinstance(answer, list):
        raise ValueError(f"expected a JSON list of places, got {type(answer).__name__}")
    for raw in answer:
        _coordinates(raw)
    return answer


# ---------------------------------------------------------------------------
# Reading replies with bounds


def _bounded_adapter_factory(*, proxies: Any, ssl_context: Any) -> Any:
    """geopy's urllib adapter, reading at most MAX_REPLY_BYTES and decoding JSON strictly.

    geopy reads the whole body, trusts the server's charset (an unknown one is
    a LookupError, not a geopy error) and calls json.loads, whose RecursionError
    on a deeply nested reply used to end the whole run. Here every such reply is
    a GeocoderParseError, which becomes that one name's `error`."""
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeocoderParseError, GeocoderServiceError

    from geoevents import json_bounds

    class BoundedURLLibAdapter(URLLibAdapter):
        def _decode_page(self, page: Any) -> str:
            try:
                body = page.read(MAX_REPLY_BYTES + 1)
            except Exception:  # noqa: BLE001 - any read failure is "unable to read"
                raise GeocoderServiceError("unable to read the response") from None
            if len(body) > MAX_REPLY_BYTES:
                raise GeocoderParseError(f"reply larger than {MAX_REPLY_BYTES:,} bytes")
            charset = page.headers.get_content_charset() or "utf-8"
            try:
                return body.decode(charset)
            except (LookupError, ValueError):
                raise GeocoderParseError(f"reply not decodable as {_cut(charset)}") from None

        def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
            text = self.get_text(url, timeout=timeout, headers=headers)
            try:
                return json_bounds.loads(text, max_depth=MAX_REPLY_DEPTH)
            except (ValueError, RecursionError) as error:
                raise GeocoderParseError(f"not valid JSON ({_cut(error)})") from None

    return BoundedURLLibAdapter(proxies=proxies, ssl_context=ssl_context)


# ---------------------------------------------------------------------------
# The geocoder


@dataclass
class _Run:
    """State of one lookup_many call: when to stop hitting the provider."""

    refusals: int = 0  # consecutive connection refusals
    timed_out_queries: int = 0  # consecutive queries that failed on timeouts
    stop_reason: str | None = None
    cache_warned: bool = False
    # cache_hits counts answers read from the cache, also those another process
    # stored while this one waited for the name (waited_for_others counts those)
    stats: dict[str, int] = field(
        default_factory=lambda: {"requests": 0, "cache_hits": 0, "waited_for_others": 0})


class OnlineGeocoder:
    """Geocode names with an online provider, paced, cached and failure-tolerant.

    >>> geo = OnlineGeocoder("nominatim", user_agent="newsroom-maps/1.0 (desk@example.org)")
    >>> geo.lookup("Sudzha", country=["RU"])["admin1_code"]   # doctest: +SKIP
    'RU-KRS'
    """

    def __init__(
        self,
        provider: str = "nominatim",
        *,
        user_agent: str,
        url: str | None = None,
        cache_path: Path | None = None,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
        max_retries: int = 2,
        backoff_seconds: float | None = None,
        limit: int = 5,
        language: str = "en",
    ) -> None:
        if provider not in PROVIDERS:
            raise OnlineGeocodingError(
                f"unknown online provider {provider!r}; supported: {', '.join(PROVIDERS)}"
            )
        self.provider = provider
        self.user_agent = _check_user_agent(user_agent)
        self.endpoint = _parse_url(url)
        if not (isinstance(min_delay_seconds, int | float) and min_delay_seconds >= 0):
            raise OnlineGeocodingError(f"min_delay_seconds must be >= 0, got {min_delay_seconds!r}")
        if self.endpoint.is_public_nominatim and min_delay_seconds < _PUBLIC_MIN_DELAY:
            raise OnlineGeocodingError(
                f"the public Nominatim allows at most 1 request per second; a minimum delay of "
                f"{min_delay_seconds:g} s is too small (--min-delay / min_delay_seconds: use 1 or more)"
            )
        if not (isinstance(timeout, int | float) and timeout > 0):
            raise OnlineGeocodingError(f"timeout must be > 0 seconds, got {timeout!r}")
        if not (isinstance(max_retries, int) and max_retries >= 0):
            raise OnlineGeocodingError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        if not (isinstance(limit, int) and 1 <= limit <= 50):
            raise OnlineGeocodingError(f"limit must be between 1 and 50, got {limit!r}")
        self.min_delay_seconds = float(min_delay_seconds)
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.backoff_seconds = (
            max(1.0, self.min_delay_seconds) if backoff_seconds is None else float(backoff_seconds)
        )
        self.limit = limit
        self.language = language
        if cache_path is None:
            from geoevents.paths import cache_dir

            cache_path = cache_dir() / "online-cache.sqlite"
        self.cache_path = Path(cache_path)
        try:
            self._cache = ResponseCache(self.cache_path)
        except (sqlite3.Error, OSError) as exc:
            raise OnlineGeocodingError(
                f"cannot open the online geocoding cache {self.cache_path}: {exc} "
                "(set GEOEVENTS_CACHE_DIR to a writable folder)"
            ) from exc
        # One cache namespace per provider endpoint: a test server or a private
        # Nominatim must never answer for the public one.
        self.cache_key = f"{provider}@{self.endpoint.url}"
        from geoevents.places.online_locks import EndpointLocks

        # the longest one name can legitimately keep a lock: every attempt timing out,
        # with back-off and the longest Retry-After we honour in between
        per_name = (self.max_retries + 1) * (self.timeout + self.min_delay_seconds + MAX_WAIT_SECONDS)
        try:
            self._locks = EndpointLocks(self.cache_path.parent / "online-locks", self.cache_key,
                                        self.min_delay_seconds, wait_limit=max(600.0, 3 * per_name))
        except OSError as exc:
            raise OnlineGeocodingError(
                f"cannot create the online geocoding lock folder beside {self.cache_path}: {exc} "
                "(set GEOEVENTS_CACHE_DIR to a writable folder)"
            ) from exc
        self._geocode = self._build_client()
        self.last_stats: dict[str, int] = {}  # requests / cache_hits of the last lookup_many

    @property
    def url(self) -> str:
        return self.endpoint.url

    def _build_client(self) -> Callable[..., Any]:
        """geopy's Nominatim client; pacing and retries are ours.

        Pacing is the cross-process lock of online_locks (geopy's RateLimiter
        paces one process only). Retries are ours too: RateLimiter's loop retries
        every GeocoderServiceError (also 400/403 and unparseable answers, which
        do not get better) after a fixed wait and ignores Retry-After; we retry
        only 429/5xx/timeouts/dropped connections, with exponential back-off, and
        stop early when the provider is unreachable."""
        from geopy.exc import ConfigurationError
        from geopy.geocoders import Nominatim

        # the urllib adapter: standard library only, no hidden connection retries
        # underneath ours, and bounded reads. Never send loopback requests through
        # a system proxy.
        proxies = {} if self.endpoint.is_loopback else None
        try:
            client = Nominatim(
                user_agent=self.user_agent,
                domain=self.endpoint.domain,
                scheme=self.endpoint.scheme,
                timeout=self.timeout,
                proxies=proxies,
                adapter_factory=_bounded_adapter_factory,
            )
        except ConfigurationError as exc:
            raise OnlineGeocodingError(str(exc)) from exc
        return client.geocode

    # -- public API ---------------------------------------------------------

    def lookup(self, query: str, *, country: Sequence[str] | str | None = None) -> dict[str, Any]:
        """Geocode one name; the RESULT CONTRACT dict (``error`` set on failure)."""
        return self.lookup_many([query], country=country)[0]

    def lookup_many(
        self,
        queries: Iterable[str],
        *,
        country: Sequence[str] | str | None = None,
        on_result: OnResult | None = None,
    ) -> list[dict[str, Any]]:
        """Geocode names in order; one contract dict per query, never raises on failures.

        ``on_result(result)`` is called after each query (progress bars). Every
        answer is cached before it is returned, so an interrupted run loses nothing."""
        if isinstance(queries, str):
            raise OnlineGeocodingError(
                "lookup_many expects a list of names, not one string; use lookup() for one name"
            )
        countries = _country_hint(country)
        run = _Run()
        results = []
        for query in queries:
            result = self._lookup_one(query, countries, run)
            results.append(result)
            if on_result is not None:
                on_result(result)
        self.last_stats = dict(run.stats)
        return results

    def close(self) -> None:
        self._cache.close()

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------

    def _lookup_one(self, query: object, countries: tuple[str, ...], run: _Run) -> dict[str, Any]:
        from geoevents.places.cache import normalise_countries, normalise_query
        from geoevents.places.online_locks import LockWaitTimeout

        problem = _query_problem(query)
        if problem is not None:
            return _error_result(query, self.provider, problem)
        assert isinstance(query, str)
        text = " ".join(query.split())
        result = self._from_cache(query, text, countries)
        if result is not None:
            run.stats["cache_hits"] += 1
            return result
        if run.stop_reason is not None:
            return _error_result(query, self.provider, f"not tried: {run.stop_reason}")
        try:
            with self._locks.name(f"{normalise_query(text)}\n{normalise_countries(countries)}"):
                # another process may have answered it while we waited for the lock
                result = self._from_cache(query, text, countries)
                if result is not None:
                    run.stats["cache_hits"] += 1
                    run.stats["waited_for_others"] += 1
                    return result
                return self._ask(query, text, countries, run)
        except LockWaitTimeout as exc:
            return _error_result(query, self.provider, f"not tried: {exc}")

    def _from_cache(self, query: str, text: str, countries: tuple[str, ...]) -> dict[str, Any] | None:
        """The cached answer as a result, or None (never cached, or damaged: then asked again)."""
        try:
            cached = self._cache.get(self.cache_key, text, countries)
            if cached is None:
                return None
            return parse_answer(query, _validate_answer(cached), countries, self.provider)
        except (sqlite3.Error, RecursionError, TypeError, ValueError, KeyError, AttributeError):
            return None

    def _ask(self, query: str, text: str, countries: tuple[str, ...], run: _Run) -> dict[str, Any]:
        """Ask the provider (the name's lock is held); cache a usable answer before returning it."""
        answer = self._fetch(text, countries, run)
        if isinstance(answer, _Failure):
            return _error_result(query, self.provider, answer.detail)
        result = parse_answer(query, answer, countries, self.provider)  # _fetch parsed it once already
        try:
            self._cache.put(self.cache_key, text, countries, answer)
        except sqlite3.Error as exc:  # disk full, read-only: keep the answer, say so once
            if not run.cache_warned:
                warnings.warn(f"could not write the online cache {self.cache_path}: {exc}; "
                              "answers will be asked again next time", stacklevel=4)
                run.cache_warned = True
        return result

    def _fetch(self, text: str, countries: tuple[str, ...], run: _Run) -> list[Any] | _Failure:
        """One query against the provider, with retries; the raw answer or why it failed."""
        from geopy.exc import GeocoderServiceError

        from geoevents.places.online_locks import LockWaitTimeout

        where = f"{self.provider} at {self.url}"
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._locks.request_slot():
                    run.stats["requests"] += 1
                    locations = self._geocode(
                        text,
                        exactly_one=False,
                        limit=self.limit,
                        addressdetails=True,
                        extratags=True,
                        language=self.language,
                        country_codes=[code.lower() for code in countries] or None,
                    )
                answer = _validate_answer([location.raw for location in locations or []])
                parse_answer(text, answer, countries, self.provider)  # every field usable?
            except LockWaitTimeout as exc:
                run.stop_reason = str(exc)
                return _Failure("busy", f"not tried: {exc}", False)
            except GeocoderServiceError as exc:
                failure = _classify(exc, where, self.timeout)
            except Exception as exc:  # noqa: BLE001 - a reply of any shape fails this name only
                # geopy accepted the JSON but it is not a list of usable places.
                failure = _Failure("malformed", f"malformed response from {where}: {_cut(exc)}", False)
            else:
                run.refusals = 0
                run.timed_out_queries = 0
                return answer

            tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
            if failure.kind == "refused":
                run.refusals += 1
                if run.refusals >= 2:
                    run.stop_reason = f"provider unreachable (connection refused by {self.url})"
                    return _Failure(
                        "refused",
                        f"network error: {failure.detail} ({tries}); provider unreachable, "
                        "remaining queries not sent",
                        False,
                    )
            else:
                run.refusals = 0
            if failure.kind == "unreachable":
                run.stop_reason = f"provider unreachable ({failure.detail})"
                return _Failure(failure.kind, f"network error: {failure.detail}", False)
            if failure.kind == "denied":
                run.stop_reason = f"provider refused access (HTTP {failure.status})"
                return failure
            wait = self.backoff_seconds * 2 ** (attempt - 1)
            if failure.retry_after is not None:
                if failure.retry_after > MAX_WAIT_SECONDS:
                    run.stop_reason = (
                        f"provider is rate limiting (HTTP 429, asks to wait "
                        f"{failure.retry_after:g} s); try again later"
                    )
                    return _Failure(failure.kind, f"{failure.detail}; asks to wait "
                                    f"{failure.retry_after:g} s, try again later", False)
                wait = max(wait, failure.retry_after)
            if not failure.retryable or attempt > self.max_retries:
                if failure.kind == "rate_limited":
                    run.stop_reason = "provider is rate limiting (HTTP 429); try again later"
                if failure.kind == "timeout":
                    run.timed_out_queries += 1
                    if run.timed_out_queries >= 2:
                        run.stop_reason = (
                            f"provider unreachable ({self.url} timed out on "
                            f"{run.timed_out_queries} queries in a row)"
                        )
                else:
                    run.timed_out_queries = 0
                detail = failure.detail
                if failure.kind == "refused":
                    detail = f"network error: {detail}"
                return _Failure(failure.kind, f"{detail} ({tries})", False)
            time.sleep(wait)
