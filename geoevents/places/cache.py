"""On-disk cache of online geocoder answers, shared by every process.

Why: public geocoders (Nominatim) allow about one request per second and ask
clients not to repeat queries. Keeping the provider's raw JSON in SQLite means
a query is sent at most once per provider endpoint, even across runs and
concurrent processes, and we can re-parse old answers when our parsing
improves. Negative answers ("no match") are cached too; failures are not.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    provider   TEXT NOT NULL,  -- provider name and endpoint, e.g. nominatim@https://nominatim.openstreetmap.org
    query_key  TEXT NOT NULL,  -- normalised query (see normalise_query)
    countries  TEXT NOT NULL,  -- normalised country hint, '' when none
    query      TEXT NOT NULL,  -- the query text as it was sent
    raw_json   TEXT NOT NULL,  -- the provider's answer, verbatim JSON
    fetched_at TEXT NOT NULL,  -- ISO 8601 UTC
    PRIMARY KEY (provider, query_key, countries)
)
"""


def normalise_query(query: str) -> str:
    """Cache key for a query: NFKC, case-folded, whitespace collapsed.

    'Kursk', ' KURSK ' and 'kursk' are the same question to a geocoder."""
    return " ".join(unicodedata.normalize("NFKC", query).casefold().split())


def normalise_countries(countries: Sequence[str] | None) -> str:
    """Cache key for a country hint: sorted, upper-case, comma-joined."""
    if not countries:
        return ""
    return ",".join(sorted({code.strip().upper() for code in countries}))


class ResponseCache:
    """SQLite store of raw provider answers keyed by provider + query + countries."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # timeout: another process may hold the write lock for a moment.
        self._conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError:  # some network file systems refuse WAL
            pass
        with self._conn:
            self._conn.execute(_SCHEMA)
            self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def get(self, provider: str, query: str, countries: Sequence[str] | None) -> Any | None:
        """The cached decoded JSON answer, or None when this query was never answered."""
        with self._lock:
            row = self._conn.execute(
                "SELECT raw_json FROM responses WHERE provider=? AND query_key=? AND countries=?",
                (provider, normalise_query(query), normalise_countries(countries)),
            ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError:  # a damaged row is treated as a miss and overwritten later
            return None

    def put(
        self, provider: str, query: str, countries: Sequence[str] | None, answer: Any
    ) -> None:
        """Store an answer and commit at once, so a crash later loses nothing."""
        raw = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                (
                    provider,
                    normalise_query(query),
                    normalise_countries(countries),
                    query,
                    raw,
                    fetched,
                ),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
