"""A real HTTP server on 127.0.0.1 that answers /search in Nominatim's JSON format.

Why: online geocoding must be tested with the real geopy client over real
sockets (timeouts, refused connections, HTTP status codes), not with mocks.
The server answers from a small table of real places (coordinates rounded from
OpenStreetMap) and can be told, per query, to fail in the ways the public
service does: 429, 5xx, slow answers, malformed JSON, or to vanish entirely.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _place(
    place_id: int,
    osm: tuple[str, int],
    lat: str,
    lon: str,
    cls: str,
    typ: str,
    addresstype: str,
    rank: int,
    importance: float,
    name: str,
    address: dict[str, str],
    population: str | None = None,
    matches: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One /search result as Nominatim (format=json, addressdetails=1) writes it."""
    display = ", ".join(dict.fromkeys(v for k, v in address.items() if not k.startswith(("ISO", "country_code"))))
    lat_f, lon_f = float(lat), float(lon)
    return {
        "place_id": place_id,
        "licence": LICENCE,
        "osm_type": osm[0],
        "osm_id": osm[1],
        "lat": lat,
        "lon": lon,
        "class": cls,
        "type": typ,
        "place_rank": rank,
        "importance": importance,
        "addresstype": addresstype,
        "name": name,
        "display_name": display,
        "address": address,
        "extratags": {"population": population} if population else {},
        "boundingbox": [f"{lat_f - 0.1:.7f}", f"{lat_f + 0.1:.7f}", f"{lon_f - 0.1:.7f}", f"{lon_f + 0.1:.7f}"],
        "_matches": {_norm(m) for m in (name, *matches)},
    }


_RU, _UA = {"country": "Russia", "country_code": "ru"}, {"country": "Ukraine", "country_code": "ua"}
_KURSK_OBL = {"state": "Kursk Oblast", "ISO3166-2-lvl4": "RU-KRS"}
_KHARKIV_OBL = {"state": "Kharkiv Oblast", "ISO3166-2-lvl4": "UA-63"}

PLACES: list[dict[str, Any]] = [
    _place(101, ("relation", 1101), "51.7303637", "36.1925610", "boundary", "administrative",
           "city", 16, 0.6417, "Kursk",
           {"city": "Kursk", "county": "Kursk Urban Okrug", **_KURSK_OBL,
            "region": "Central Federal District", **_RU},
           population="440052", matches=("Курск",)),
    _place(102, ("relation", 1102), "51.6568453", "36.4852695", "boundary", "administrative",
           "state", 8, 0.5912, "Kursk Oblast",
           {**_KURSK_OBL, "region": "Central Federal District", **_RU},
           matches=("Kursk", "Kursk region", "Курская область")),
    _place(103, ("node", 1103), "51.1906384", "35.2710996", "place", "town", "town", 16, 0.4302,
           "Sudzha",
           {"town": "Sudzha", "county": "Sudzhansky District", **_KURSK_OBL,
            "region": "Central Federal District", **_RU},
           population="5443", matches=("Суджа",)),
    _place(104, ("relation", 1104), "49.9923181", "36.2310146", "boundary", "administrative",
           "city", 16, 0.6741, "Kharkiv",
           {"city": "Kharkiv", "municipality": "Kharkiv Urban Hromada",
            "district": "Kharkiv Raion", **_KHARKIV_OBL, **_UA},
           population="1421125", matches=("Kharkov", "Харків", "Харьков")),
    _place(105, ("relation", 1105), "49.4563890", "36.5299040", "boundary", "administrative",
           "state", 8, 0.5501, "Kharkiv Oblast",
           {**_KHARKIV_OBL, **_UA}, matches=("Kharkiv", "Kharkov")),
    _place(106, ("relation", 1106), "50.9119280", "34.8027330", "boundary", "administrative",
           "city", 16, 0.5823, "Sumy",
           {"city": "Sumy", "district": "Sumy Raion", "state": "Sumy Oblast",
            "ISO3166-2-lvl4": "UA-59", **_UA}, population="256474"),
    _place(107, ("relation", 1107), "48.2819680", "37.1758440", "boundary", "administrative",
           "city", 16, 0.5125, "Pokrovsk",
           {"city": "Pokrovsk", "district": "Pokrovsk Raion", "state": "Donetsk Oblast",
            "ISO3166-2-lvl4": "UA-14", **_UA}, matches=("Krasnoarmiisk",)),
    _place(108, ("node", 1108), "61.4843117", "129.1482099", "place", "town", "town", 16,
           0.4237, "Pokrovsk",
           {"town": "Pokrovsk", "county": "Khangalassky Ulus", "state": "Sakha Republic",
            "ISO3166-2-lvl4": "RU-SA", "region": "Far Eastern Federal District", **_RU}),
    _place(109, ("relation", 1109), "49.4871968", "31.2718321", "boundary", "administrative",
           "country", 4, 0.8431, "Ukraine", {**_UA}, matches=("Україна",)),
    _place(110, ("relation", 1110), "64.6863136", "97.7453061", "boundary", "administrative",
           "country", 4, 0.8739, "Russia", {**_RU}, matches=("Россия",)),
]


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    time: float  # time.monotonic() on arrival
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass(frozen=True)
class Reply:
    """How to answer one request instead of the normal answer.

    status: send this HTTP status with a small JSON error body;
    sleep: wait this long first (longer than the client's timeout = a timeout);
    body: send this text as a 200 application/json answer (malformed JSON)."""

    status: int | None = None
    sleep: float = 0.0
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


MALFORMED = Reply(body='[{"place_id": 101, "lat": "51.73", "lon": ')


class NominatimTestServer:
    """Start with ``with NominatimTestServer() as server: server.url``."""

    def __init__(self, places: list[dict[str, Any]] | None = None) -> None:
        self.places = PLACES if places is None else places
        self.hits: list[Hit] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._always: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ------------------------------------------------------------

    def script(self, query: str, *replies: Reply) -> None:
        """The next requests for this query get these replies, in order, then normal answers."""
        with self._lock:
            self._scripts.setdefault(_norm(query), []).extend(replies)

    def always(self, query: str, reply: Reply) -> None:
        """Every request for this query gets this reply."""
        with self._lock:
            self._always[_norm(query)] = reply

    def hits_for(self, query: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if _norm(hit.params.get("q", "")) == _norm(query)]

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> NominatimTestServer:
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket: from now on connections are refused."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> NominatimTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- answering ----------------------------------------------------------

    def _reply_for(self, q: str) -> Reply | None:
        key = _norm(q)
        with self._lock:
            queue = self._scripts.get(key)
            if queue:
                return queue.pop(0)
            return self._always.get(key)

    def search(self, params: dict[str, str]) -> list[dict[str, Any]]:
        """Nominatim-like /search: name match, country filter, importance order, limit."""
        key = _norm(params.get("q", ""))
        countries = {c for c in params.get("countrycodes", "").lower().split(",") if c}
        found = [p for p in self.places if key in p["_matches"]]
        if countries:
            found = [p for p in found if p["address"]["country_code"] in countries]
        found.sort(key=lambda p: -p["importance"])
        found = found[: int(params.get("limit", "10"))]
        out = []
        for place in found:
            item = {k: v for k, v in place.items() if not k.startswith("_")}
            if params.get("addressdetails") != "1":
                item.pop("address")
            if params.get("extratags", "").lower() not in ("1", "true"):
                item.pop("extratags")
            out.append(item)
        return out


class _Handler(BaseHTTPRequestHandler):
    owner: NominatimTestServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query))
        hit = Hit(time.monotonic(), parts.path, params, dict(self.headers.items()))
        with self.owner._lock:
            self.owner.hits.append(hit)
        if parts.path != "/search":
            return self._send(404, json.dumps({"error": "unknown endpoint"}))
        reply = self.owner._reply_for(params.get("q", ""))
        try:
            if reply is not None and reply.sleep:
                time.sleep(reply.sleep)
            if reply is not None and reply.status is not None:
                body = json.dumps({"error": {"code": reply.status, "message": "test failure"}})
                return self._send(reply.status, body, reply.headers)
            if reply is not None and reply.body is not None:
                return self._send(200, reply.body, reply.headers)
            self._send(200, json.dumps(self.owner.search(params), ensure_ascii=False))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
