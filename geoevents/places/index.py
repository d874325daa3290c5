"""Load the built gazetteer index (memory-mapped numpy arrays) and query it.

Loading maps files instead of parsing JSON, so a fresh process answers its
first query in tens of milliseconds; the expensive work happens once in
`geoevents.places.build`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a normalised key (same in every process)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class HashTable:
    """Sorted uint64 key hashes with a parallel posting array.

    A posting packs entity and match kind into one int32 (entity * 4 + kind) so
    a lookup slices one array."""

    def __init__(self, folder: Path, prefix: str) -> None:
        # plain ndarray views of the memory maps: numpy's memmap subclass adds
        # microseconds to every slice
        self.hashes = _mapped(folder / f"{prefix}_hash.npy")
        self.postings = _mapped(folder / f"{prefix}_posting.npy")

    def get(self, key: str) -> list[tuple[int, int]]:
        """(entity, kind) postings of `key`, empty when unknown."""
        value = key_hash(key)
        lo = int(self.hashes.searchsorted(np.uint64(value)))
        chunk = self.hashes[lo : lo + 8].tolist()
        count = 0
        for item in chunk:
            if item != value:
                break
            count += 1
        if count == 0:
            return []
        if count == len(chunk):  # a common name: find the end properly
            count = int(self.hashes.searchsorted(np.uint64(value), side="right")) - lo
        return [(p >> 2, p & 3) for p in self.postings[lo : lo + count].tolist()]


def _mapped(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r").view(np.ndarray)


class StringColumn:
    """UTF-8 strings stored as one blob plus offsets."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.blob = (folder / f"{prefix}.bin").read_bytes()
        self.offsets = _mapped(folder / f"{prefix}_offsets.npy")

    def __getitem__(self, index: int) -> str:
        start, end = self.offsets[index : index + 2].tolist()
        return self.blob[start:end].decode("utf-8")

    def __len__(self) -> int:
        return len(self.offsets) - 1


class Column:
    """One per-entity column read element by element as Python scalars.

    Converting whole columns to lists costs ~100 ms at start-up; `ndarray.item`
    costs ~0.1 µs per access, which keeps a one-name command fast."""

    __slots__ = ("array", "_item")

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self._item = array.item

    def __getitem__(self, index: int):
        return self._item(index)

    def __len__(self) -> int:
        return len(self.array)


@dataclass
class GazetteerIndex:
    """All arrays of one built index.

    Per-entity columns are numpy arrays (`*_array`, for vectorised work such as
    nearest_places), also wrapped as `Column`s for per-query scalar access."""

    folder: Path
    gid: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    pop: np.ndarray
    feature: np.ndarray
    country: np.ndarray
    admin1_index: np.ndarray
    names: StringColumn
    exact: HashTable
    loose: HashTable
    region: HashTable
    admin1: list[dict[str, Any]]
    countries: list[dict[str, Any]]
    _fuzzy: Any = field(default=None, repr=False)
    _aliases: Any = field(default=None, repr=False)
    lat_array: Any = field(default=None, repr=False)
    lon_array: Any = field(default=None, repr=False)
    pop_array: Any = field(default=None, repr=False)
    feature_array: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, folder: Path) -> "GazetteerIndex":
        def arr(name: str) -> np.ndarray:
            return _mapped(folder / f"{name}.npy")

        lat, lon, pop, feature = arr("lat"), arr("lon"), arr("pop"), arr("feature")
        return cls(
            folder=folder,
            gid=Column(arr("gid")), lat=Column(lat), lon=Column(lon), pop=Column(pop),
            feature=Column(feature), country=Column(arr("country")),
            admin1_index=Column(arr("admin1")),
            lat_array=lat, lon_array=lon, pop_array=pop, feature_array=feature,
            names=StringColumn(folder, "name"),
            exact=HashTable(folder, "exact"),
            loose=HashTable(folder, "loose"),
            region=HashTable(folder, "region"),
            admin1=json.loads((folder / "admin1.json").read_text(encoding="utf-8")),
            countries=json.loads((folder / "countries.json").read_text(encoding="utf-8")),
        )

    def admin1_aliases(self, index: int) -> list[str]:
        """Names and aliases of one admin-1 region (read on first use)."""
        if self._aliases is None:
            self._aliases = json.loads((self.folder / "admin1_aliases.json").read_text(encoding="utf-8"))
        return list(self._aliases[index])

    @property
    def fuzzy(self):
        """Fuzzy candidate index, opened on first use (keeps cold start small)."""
        if self._fuzzy is None:
            from geoevents.places.fuzzy import FuzzyIndex

            self._fuzzy = FuzzyIndex(self.folder)
        return self._fuzzy


#: what a first run should expect: about a minute of CPU, longer on a busy machine (docs/geocoding.md)
BUILD_TIME = "1–3 minutes"

_LOCK = threading.Lock()
_LOADED: dict[Path, GazetteerIndex] = {}


def load_index(cache_root: Path | None = None) -> GazetteerIndex:
    """The index for the current recipe and sources; built on first use."""
    from geoevents.places.build import index_dir

    if cache_root is None:
        from geoevents.paths import cache_dir

        cache_root = cache_dir()
    folder = index_dir(cache_root)
    with _LOCK:
        if folder in _LOADED:
            return _LOADED[folder]
        if not (folder / "meta.json").is_file():
            _build_with_lock(cache_root)
        index = GazetteerIndex.open(folder)
        _LOADED[folder] = index
        return index


def _build_with_lock(cache_root: Path) -> None:
    """Build once even when several processes start together (lock file)."""
    from geoevents.cachefiles import build_once
    from geoevents.places.build import build_index, index_dir

    def build() -> None:
        _remove_stale(cache_root)
        build_index(cache_root)

    build_once(cache_root / ".gazetteer-build.lock",
               lambda: (index_dir(cache_root) / "meta.json").is_file(), build,
               label=f"the offline gazetteer index (first run only, {BUILD_TIME})")


def _remove_stale(cache_root: Path) -> None:
    """Delete indexes of older recipes or source versions."""
    import shutil

    from geoevents.places.build import index_dir

    current = index_dir(cache_root).name
    for child in cache_root.glob("gazetteer-r*"):
        if child.name != current and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
