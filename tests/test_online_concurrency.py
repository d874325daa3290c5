"""Online geocoding across processes and with hostile replies, against the real local server.

The promise: at most one request per name and endpoint, even from several
processes sharing the cache, and requests to one endpoint paced at least
`min_delay` apart as the server sees them. And a reply of any shape (deeply
nested, huge, not JSON, wrong types, unknown charset) is an error for that
one name, never the end of the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from geoevents.places.online import MAX_REPLY_BYTES, OnlineGeocoder
from nominatim_server import NominatimTestServer, Reply, _Handler

USER_AGENT = "geoevents-test/1.0 (tests@example.org)"
TESTS = Path(__file__).parent

#: run in each worker process: geocode the names given on stdin, print the stats
WORKER = """
import json, sys
from pathlib import Path
from geoevents.places.online import OnlineGeocoder
job = json.load(sys.stdin)
geo = OnlineGeocoder(user_agent=job["agent"], url=job["url"], cache_path=Path(job["cache"]),
                     min_delay_seconds=job["delay"], timeout=10.0)
results = geo.lookup_many(job["names"])
print(json.dumps({"stats": geo.last_stats,
                  "results": {r["query"]: [r["error"], r["latitude"], r["longitude"]] for r in results}}))
"""


def start_workers(server_url: str, cache: Path, jobs: list[list[str]], delay: float) -> list[subprocess.Popen]:
    procs = []
    for names in jobs:
        proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=TESTS)
        proc.stdin.write(json.dumps({"agent": USER_AGENT, "url": server_url, "cache": str(cache),
                                     "delay": delay, "names": names}))
        proc.stdin.close()
        procs.append(proc)
    return procs


def finish(procs: list[subprocess.Popen], timeout: float = 240) -> list[dict]:
    outputs = []
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            for other in procs:
                other.kill()
            raise
        out, err = proc.stdout.read(), proc.stderr.read()
        assert proc.returncode == 0, err
        outputs.append(json.loads(out))
    return outputs


@pytest.mark.slow
def test_six_processes_send_one_request_per_name_paced_at_the_server(tmp_path):
    names = ["Kursk", "Sudzha", "Kharkiv", "Sumy", "Pokrovsk", "Ukraine"] + [f"Hamlet {i:03d}" for i in range(194)]
    delay = 0.03
    # every process asks every name, each in its own order, so they contend for names all the time
    rotated = [names[k * 33:] + names[:k * 33] for k in range(3)]
    orders = rotated + [list(reversed(order)) for order in rotated]
    with NominatimTestServer() as server:
        outputs = finish(start_workers(server.url, tmp_path / "online-cache.sqlite", orders, delay))
        hits = list(server.hits)
    per_name = Counter(hit.params["q"] for hit in hits)
    assert len(hits) == len(names) == 200
    assert per_name == Counter(names)  # exactly one request per name, from all six processes together
    arrivals = sorted(hit.time for hit in hits)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= delay, sorted(gaps)[:5]
    # each process got every name, and all agree (answers or "not found" read from the shared cache)
    assert sum(o["stats"]["requests"] for o in outputs) == 200
    assert all(o["stats"]["requests"] + o["stats"]["cache_hits"] == 200 for o in outputs)
    assert sum(o["stats"]["waited_for_others"] for o in outputs) > 0
    first = outputs[0]["results"]
    assert all(o["results"] == first for o in outputs)
    assert first["Sudzha"][0] is None and first["Sudzha"][1] == pytest.approx(51.1906, abs=1e-3)
    assert first["Hamlet 007"][0].startswith("not found")


def test_a_process_waiting_for_a_name_in_flight_reads_the_cached_answer(tmp_path):
    with NominatimTestServer() as server:
        server.script("Sumy", Reply(sleep=1.5))  # the first request for Sumy takes a while
        cache = tmp_path / "online-cache.sqlite"
        first = start_workers(server.url, cache, [["Sumy"]], 0.01)
        deadline = time.monotonic() + 60
        while not server.hits_for("Sumy") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.hits_for("Sumy"), "the first process never asked"
        second = start_workers(server.url, cache, [["Sumy", "Kursk"]], 0.01)
        (one,), (two,) = finish(first), finish(second)
        assert len(server.hits_for("Sumy")) == 1 and len(server.hits_for("Kursk")) == 1
    assert one["stats"] == {"requests": 1, "cache_hits": 0, "waited_for_others": 0}
    assert two["stats"] == {"requests": 1, "cache_hits": 1, "waited_for_others": 1}
    assert two["results"]["Sumy"] == one["results"]["Sumy"] and one["results"]["Sumy"][0] is None


def test_pacing_holds_across_geocoders_that_do_not_share_a_process_object(tmp_path):
    """Two geocoders in one process (separate lock handles) still pace each other."""
    cache = tmp_path / "online-cache.sqlite"
    with NominatimTestServer() as server:
        a = OnlineGeocoder(user_agent=USER_AGENT, url=server.url, cache_path=cache, min_delay_seconds=0.2)
        b = OnlineGeocoder(user_agent=USER_AGENT, url=server.url, cache_path=cache, min_delay_seconds=0.2)
        for name in ("Kursk", "Sumy", "Sudzha", "Kharkiv"):
            (a if len(server.hits) % 2 else b).lookup(name)
        arrivals = [hit.time for hit in server.hits]
    assert len(arrivals) == 4
    assert min(y - x for x, y in zip(arrivals, arrivals[1:])) >= 0.2


# -- hostile replies ---------------------------------------------------------------------------------


HOSTILE = {
    "deep": Reply(body="[" * 100_000 + "]" * 100_000),
    "deep-ish": Reply(body="[" * 20 + "]" * 20),
    "huge": Reply(body="[" + " " * (MAX_REPLY_BYTES + 10) + "]"),
    "not-json": Reply(body="<html>Service temporarily unavailable</html>"),
    "nan": Reply(body='[{"lat": NaN, "lon": "30", "display_name": "X"}]'),
    "object": Reply(body='{"places": []}'),
    "string": Reply(body='"Kyiv"'),
    "list-lat": Reply(body='[{"lat": [50], "lon": "30", "display_name": "X"}]'),
    "bool-lat": Reply(body='[{"lat": true, "lon": "30", "display_name": "X"}]'),
    "far-lat": Reply(body='[{"lat": "1e400", "lon": "30", "display_name": "X"}]'),
    "long-lat": Reply(body='[{"lat": "' + "1" * 5000 + '", "lon": "30", "display_name": "X"}]'),
    "dup-keys": Reply(body='[{"lat": "50", "lat": "51", "lon": "30", "display_name": "X"}]'),
    "huge-int": Reply(body='[{"lat": ' + "9" * 5000 + ', "lon": "30", "display_name": "X"}]'),
    "error-member": Reply(body='{"error": "' + "x" * 50_000 + '"}'),
}


class CharsetServer(NominatimTestServer):
    """The test server, but its answers for `Bogus` claim a charset that does not exist."""

    def start(self) -> CharsetServer:
        super().start()

        class Handler(_Handler):
            def _send(self, status, body, headers=None):
                if "q=Bogus" not in self.path:
                    return super()._send(status, body, headers)
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=x-no-such-charset")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"[]")

        self._httpd.RequestHandlerClass = type("Handler", (Handler,), {"owner": self})
        return self


def test_hostile_replies_fail_their_own_name_and_keep_everything_else(tmp_path):
    good = ["Kursk", "Sudzha", "Kharkiv"]
    with CharsetServer() as server:
        for name, reply in HOSTILE.items():
            server.script(name, reply)
        geo = OnlineGeocoder(user_agent=USER_AGENT, url=server.url, cache_path=tmp_path / "c.sqlite",
                             min_delay_seconds=0.0, max_retries=0)
        queries = [good[0], *HOSTILE, "Bogus", good[1], "Sumy", good[2]]
        started = time.monotonic()
        results = geo.lookup_many(queries)
        took = time.monotonic() - started
        by_name = {r["query"]: r for r in results}
        assert [r["query"] for r in results] == queries
        for name in good + ["Sumy"]:
            assert by_name[name]["error"] is None and by_name[name]["latitude"] is not None, by_name[name]
        for name in [*HOSTILE, "Bogus"]:
            error = by_name[name]["error"]
            assert error and by_name[name]["latitude"] is None, (name, by_name[name])
            assert len(error) < 400, (name, len(error))  # the provider's text is never echoed whole
        assert "nested deeper than 16" in by_name["deep"]["error"]
        assert "larger than 2,000,000 bytes" in by_name["huge"]["error"]
        assert "not valid JSON" in by_name["not-json"]["error"]
        assert "duplicate key 'lat'" in by_name["dup-keys"]["error"]
        assert "x-no-such-charset" in by_name["Bogus"]["error"]
        assert took < 20
        # nothing hostile was cached: asked again, every bad name goes back to the server
        hits = len(server.hits)
        again = geo.lookup_many([*HOSTILE, *good])
        assert len(server.hits) - hits == len(HOSTILE)
        assert [r["error"] is None for r in again[-3:]] == [True] * 3
    assert geo.last_stats["cache_hits"] == 3


def test_cli_keeps_resolved_names_when_a_reply_is_hostile(tmp_path):
    with NominatimTestServer() as server:
        server.script("Sumy", HOSTILE["deep"])
        env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(tmp_path)}
        run = subprocess.run(
            [sys.executable, "-c", "from geoevents.cli import main; main(prog_name='geoevents')", "geocode",
             "--provider", "nominatim", "--provider-url", server.url, "--user-agent", "geoevents-test",
             "--min-delay", "0.01", "Kursk", "Sumy", "Sudzha", "--format", "json"],
            capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    results = json.loads(run.stdout)
    assert [r["error"] is None for r in results] == [True, False, True]
    assert "nested deeper than 16" in results[1]["error"]
    assert "argument 2: 'Sumy': malformed response" in run.stderr
